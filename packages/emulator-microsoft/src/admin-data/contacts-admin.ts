/** Outlook contacts for tests: add, list, get, update and remove a user's contacts (Graph contact JSON). */
import { readContactFields, type ContactStore } from '../data/contacts/contact-store.ts';
import { isOutlookId } from '../data/ids.ts';
import { contactJson } from '../graph/contacts/contacts.ts';
import { InputError, NotFoundError, object, optionalString, type Json } from '../input.ts';
import type { AdminScope } from './scope.ts';

export interface ContactInput {
  givenName?: string;
  surname?: string;
  displayName?: string;
  emailAddresses?: (string | { address: string; name?: string })[];
  businessPhones?: string[];
  mobilePhone?: string;
  companyName?: string;
  jobTitle?: string;
  /** A fixed Exchange-style id. */
  id?: string;
  [key: string]: unknown;
}

export class ContactsAdmin {
  constructor(private readonly scope: AdminScope) {}

  private store(user: string): ContactStore {
    return this.scope.store.contacts(this.scope.mailUser(user));
  }

  private find(store: ContactStore, id: string) {
    const c = store.contact(id);
    if (!c) throw new NotFoundError(`no contact '${id}'`);
    return c;
  }

  add(user: string, input: ContactInput): Json {
    const o = object(input, 'contact');
    const store = this.store(user);
    const id = optionalString(o, 'id', 'contact');
    if (id !== undefined && (!isOutlookId(id) || store.contact(id))) throw new InputError('contact.id must be an unused Exchange-style id (AAMk...)');
    return contactJson(store.add(readContactFields(o, 'contact'), id));
  }

  list(user: string): Json[] {
    return this.store(user).list().map(contactJson);
  }

  get(user: string, id: string): Json {
    return contactJson(this.find(this.store(user), id));
  }

  update(user: string, id: string, patch: Partial<ContactInput>): Json {
    const store = this.store(user);
    return contactJson(store.update(this.find(store, id), readContactFields(object(patch, 'patch'), 'patch')));
  }

  remove(user: string, id: string): void {
    const store = this.store(user);
    store.remove(this.find(store, id));
  }
}
