/**
 * Outlook contacts of one user. A contact is mostly free-form properties, so it is kept as the
 * validated Graph fields; Outlook derives displayName from the name parts when none is given.
 */
import { InputError, type Json } from '../../input.ts';
import { outlookId } from '../ids.ts';
import { recordChange, type OwnerContext } from '../owner.ts';

const STRINGS = ['givenName', 'surname', 'middleName', 'nickName', 'displayName', 'initials', 'title', 'generation', 'fileAs', 'jobTitle', 'companyName', 'department', 'officeLocation', 'profession', 'businessHomePage', 'assistantName', 'manager', 'spouseName', 'personalNotes', 'birthday', 'mobilePhone'] as const;
const STRING_LISTS = ['homePhones', 'businessPhones', 'imAddresses', 'children', 'categories'] as const;
const ADDRESSES = ['homeAddress', 'businessAddress', 'otherAddress'] as const;
const ADDRESS_PARTS = ['street', 'city', 'state', 'countryOrRegion', 'postalCode'] as const;

export const CONTACT_PROPERTIES: readonly string[] = [...STRINGS, ...STRING_LISTS, ...ADDRESSES, 'emailAddresses'];

export type ContactFields = Record<string, unknown>;

export interface StoredContact {
  id: string;
  folderId: string;
  createdAt: number;
  modifiedAt: number;
  version: number;
  fields: ContactFields;
}

/** Validates contact JSON; only present properties are returned. Unknown names are reported by the caller. */
export function readContactFields(o: Json, path: string): ContactFields {
  const out: ContactFields = {};
  for (const key of STRINGS) {
    const v = o[key];
    if (v === undefined) continue;
    if (v !== null && typeof v !== 'string') throw new InputError(`${path}.${key} must be a string`);
    out[key] = v;
  }
  for (const key of STRING_LISTS) {
    const v = o[key];
    if (v === undefined) continue;
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw new InputError(`${path}.${key} must be an array of strings`);
    out[key] = [...v];
  }
  for (const key of ADDRESSES) {
    const v = o[key];
    if (v === undefined) continue;
    if (typeof v !== 'object' || v === null) throw new InputError(`${path}.${key} must be an address object`);
    out[key] = Object.fromEntries(ADDRESS_PARTS.map((p) => [p, typeof (v as Json)[p] === 'string' ? (v as Json)[p] : null]));
  }
  if (o.emailAddresses !== undefined) {
    if (!Array.isArray(o.emailAddresses)) throw new InputError(`${path}.emailAddresses must be an array`);
    out.emailAddresses = o.emailAddresses.map((e, i) => {
      const address = typeof e === 'string' ? e : (e as Json | null)?.address;
      if (typeof address !== 'string' || !address.includes('@')) throw new InputError(`${path}.emailAddresses[${i}].address must be an email address`);
      const name = typeof e === 'object' && e !== null && typeof (e as Json).name === 'string' ? (e as Json).name : address;
      return { name, address };
    });
  }
  return out;
}

export class ContactStore {
  readonly contacts = new Map<string, StoredContact>();
  readonly folderId: string;

  constructor(readonly owner: OwnerContext & { userId: string }) {
    this.folderId = outlookId(['contactFolder', owner.userId, 'contacts'], owner.personal);
  }

  contact(id: string): StoredContact | undefined {
    return this.contacts.get(id);
  }

  list(): StoredContact[] {
    return [...this.contacts.values()];
  }

  add(fields: ContactFields, id?: string): StoredContact {
    const now = this.owner.now();
    const c: StoredContact = { id: id ?? outlookId(undefined, this.owner.personal), folderId: this.folderId, createdAt: now, modifiedAt: now, version: 1, fields: withDisplayName(fields) };
    this.contacts.set(c.id, c);
    recordChange(this.owner, 'created', 'contact', c.id, { container: c.folderId });
    return c;
  }

  update(c: StoredContact, fields: ContactFields): StoredContact {
    c.fields = withDisplayName({ ...c.fields, ...fields }, fields.displayName !== undefined);
    c.version++;
    c.modifiedAt = this.owner.now();
    recordChange(this.owner, 'updated', 'contact', c.id, { container: c.folderId });
    return c;
  }

  remove(c: StoredContact): void {
    this.contacts.delete(c.id);
    recordChange(this.owner, 'deleted', 'contact', c.id, { container: c.folderId });
  }
}

/** Outlook fills displayName from the name parts unless one was set. */
function withDisplayName(f: ContactFields, explicit = f.displayName !== undefined && f.displayName !== null && f.displayName !== ''): ContactFields {
  if (explicit) return f;
  const name = [f.givenName, f.middleName, f.surname].filter((p) => typeof p === 'string' && p !== '').join(' ');
  return { ...f, displayName: name };
}
