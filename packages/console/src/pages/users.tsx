import { type FormEvent, useState } from 'react';
import { type ApiError, api, enc, getAll } from '../api/client.ts';
import type { User } from '../api/types.ts';
import { useResource } from '../api/use-resource.ts';
import { Loading, Notice, ProblemNotice } from '../components/notice.tsx';
import { PageHeader } from '../components/page-header.tsx';
import { formatDateTime } from '../format.ts';
import { NotFoundPage } from './not-found.tsx';

interface Invitation {
  userId: string;
  email: string;
  invitationUrl: string;
  expiresAt: string;
}

/** Tenant administrators invite people: a user, then a one-time link to choose a password. */
export function UsersPage() {
  const users = useResource('users', () => getAll<User>('/api/v1/users'));
  const [invitation, setInvitation] = useState<Invitation | null>(null);
  const [error, setError] = useState<ApiError | null>(null);

  const link = async (user: { id: string }) => {
    setError(null);
    try {
      setInvitation(await api.post<Invitation>(`/api/v1/users/${enc(user.id)}/invitation`));
    } catch (e) {
      setError(e as ApiError);
    }
  };
  const invite = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const element = event.currentTarget;
    const form = new FormData(element);
    setError(null);
    try {
      const displayName = String(form.get('displayName')).trim();
      const user = await api.post<User>('/api/v1/users', {
        email: String(form.get('email')).trim(),
        ...(displayName ? { displayName } : {}),
        isTenantAdmin: form.get('admin') === 'on',
      });
      element.reset();
      users.reload();
      await link(user);
    } catch (e) {
      setError(e as ApiError);
    }
  };

  if (users.error?.status === 403) return <NotFoundPage />;
  return (
    <>
      <PageHeader title="Users" documentTitle="Users" subtitle="Invite people, then give them roles in folders (a folder's Members tab)." />
      {error && <ProblemNotice error={error} title="Not done" />}
      {invitation && <InvitationLink invitation={invitation} onDismiss={() => setInvitation(null)} />}
      <form className="card form inline-form" onSubmit={invite} aria-labelledby="invite-title">
        <h2 id="invite-title">Invite a user</h2>
        <label htmlFor="invite-email">Email</label>
        <input id="invite-email" name="email" type="email" required maxLength={254} autoComplete="off" />
        <label htmlFor="invite-name">Display name <span className="muted">(optional)</span></label>
        <input id="invite-name" name="displayName" maxLength={120} autoComplete="off" />
        <label className="checkbox">
          <input type="checkbox" name="admin" /> <span>Tenant administrator</span>
        </label>
        <button type="submit" className="primary">Invite</button>
      </form>
      {!users.data ? (
        users.error ? <ProblemNotice error={users.error} /> : <Loading label="Loading users" />
      ) : (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">Users of this tenant</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Email</th>
                <th scope="col">Tenant administrator</th>
                <th scope="col">Since</th>
                <th scope="col"><span className="visually-hidden">Actions</span></th>
              </tr>
            </thead>
            <tbody>
              {users.data.map((u) => (
                <tr key={u.id}>
                  <th scope="row">{u.displayName}</th>
                  <td>{u.email}</td>
                  <td>{u.isTenantAdmin ? 'Yes' : 'No'}</td>
                  <td>{formatDateTime(u.createdAt)}</td>
                  <td>
                    <button type="button" onClick={() => void link(u)} aria-label={`New sign-in link for ${u.email}`}>
                      New sign-in link
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

/** The link is a credential: shown once, here, for the administrator to pass on. */
function InvitationLink({ invitation, onDismiss }: { invitation: Invitation; onDismiss: () => void }) {
  const [copied, setCopied] = useState(false);
  return (
    <Notice kind="success" title={`Sign-in link for ${invitation.email}`}>
      <p>Send this link to {invitation.email}. It works once, until {formatDateTime(invitation.expiresAt)}, and is not shown again.</p>
      <div className="row">
        <input aria-label="Sign-in link" className="grow" readOnly value={invitation.invitationUrl} onFocus={(e) => e.currentTarget.select()} />
        <button
          type="button"
          onClick={() => void navigator.clipboard?.writeText(invitation.invitationUrl).then(() => setCopied(true))}
        >
          {copied ? 'Copied' : 'Copy'}
        </button>
        <button type="button" onClick={onDismiss}>Done</button>
      </div>
    </Notice>
  );
}
