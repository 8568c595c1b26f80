import { type FormEvent, useState } from 'react';
import { type ApiError, api, enc, getAll } from '../api/client.ts';
import type { FolderMember, Role, User } from '../api/types.ts';
import { useResource } from '../api/use-resource.ts';
import { Loading, Notice, ProblemNotice } from '../components/notice.tsx';
import { FolderFrame } from '../layout/folder-frame.tsx';
import { useWorkspace } from '../session.tsx';

const ROLES: Array<{ role: Role; grants: string }> = [
  { role: 'Administrator', grants: 'everything, including members' },
  { role: 'Editor', grants: 'create, edit and delete connections and triggers' },
  { role: 'User', grants: 'use connections, manage triggers' },
  { role: 'Viewer', grants: 'read only' },
];

/** Who has which role in a shared folder (roles apply to its subfolders too). */
export function MembersPage({ folderId }: { folderId: string }) {
  const { session } = useWorkspace();
  const members = useResource(`members:${folderId}`, () => api.get<{ items: FolderMember[] }>(`/api/v1/folders/${enc(folderId)}/members`));
  const users = useResource(session.user.isTenantAdmin ? 'users' : null, () => getAll<User>('/api/v1/users'));
  const [error, setError] = useState<ApiError | null>(null);
  const [saved, setSaved] = useState<string | null>(null);

  const setRole = async (userId: string, role: Role, who: string) => {
    setError(null);
    setSaved(null);
    try {
      await api.put(`/api/v1/folders/${enc(folderId)}/members/${enc(userId)}`, { role });
      setSaved(`${who} is now ${role} here.`);
      members.reload();
    } catch (e) {
      setError(e as ApiError);
    }
  };
  const remove = async (member: FolderMember) => {
    setError(null);
    try {
      await api.delete(`/api/v1/folders/${enc(folderId)}/members/${enc(member.userId)}`);
      setSaved(`${member.email} no longer has a role here.`);
      members.reload();
    } catch (e) {
      setError(e as ApiError);
    }
  };
  const add = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const user = users.data?.find((u) => u.id === form.get('user'));
    if (user) void setRole(user.id, form.get('role') as Role, user.email);
  };

  const memberIds = new Set(members.data?.items.map((m) => m.userId));
  const candidates = (users.data ?? []).filter((u) => !memberIds.has(u.id) && !u.isTenantAdmin);
  return (
    <FolderFrame folderId={folderId} tab="members">
      {() => (
        <div className="stack">
          {error && <ProblemNotice error={error} title="Not changed" />}
          {saved && <Notice kind="success">{saved}</Notice>}
          {members.error ? (
            <ProblemNotice error={members.error} />
          ) : !members.data ? (
            <Loading label="Loading members" />
          ) : (
            <div className="table-wrap">
              <table>
                <caption className="visually-hidden">Members of this folder</caption>
                <thead>
                  <tr>
                    <th scope="col">User</th>
                    <th scope="col">Role</th>
                    <th scope="col"><span className="visually-hidden">Actions</span></th>
                  </tr>
                </thead>
                <tbody>
                  {members.data.items.length === 0 && (
                    <tr>
                      <td colSpan={3}>No members yet: only tenant administrators can use this folder.</td>
                    </tr>
                  )}
                  {members.data.items.map((m) => (
                    <tr key={m.userId}>
                      <th scope="row">
                        {m.displayName} <span className="muted">{m.email}</span>
                      </th>
                      <td>
                        <select aria-label={`Role of ${m.email}`} value={m.role} onChange={(e) => void setRole(m.userId, e.target.value as Role, m.email)}>
                          {ROLES.map((r) => (
                            <option key={r.role}>{r.role}</option>
                          ))}
                        </select>
                      </td>
                      <td>
                        <button type="button" onClick={() => void remove(m)} aria-label={`Remove ${m.email} from this folder`}>
                          Remove
                        </button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {session.user.isTenantAdmin && (
            <form className="card form inline-form" onSubmit={add} aria-labelledby="add-member-title">
              <h2 id="add-member-title">Give a user a role here</h2>
              <label htmlFor="member-user">User</label>
              <select id="member-user" name="user" required defaultValue="">
                <option value="" disabled>
                  Choose a user…
                </option>
                {candidates.map((u) => (
                  <option key={u.id} value={u.id}>
                    {u.displayName} ({u.email})
                  </option>
                ))}
              </select>
              <label htmlFor="member-role">Role</label>
              <select id="member-role" name="role" defaultValue="Editor" aria-describedby="roles-hint">
                {ROLES.map((r) => (
                  <option key={r.role} value={r.role}>
                    {r.role}
                  </option>
                ))}
              </select>
              <button type="submit" className="primary">Add</button>
              <p id="roles-hint" className="hint">
                {ROLES.map((r) => `${r.role}: ${r.grants}`).join('. ')}.
              </p>
            </form>
          )}
        </div>
      )}
    </FolderFrame>
  );
}
