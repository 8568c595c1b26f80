import type { RequestDefinition } from '@switchboard/catalog';
import type { RegisteredStep } from './index.ts';
import type { StepContext } from './step.ts';

interface Message {
  id: string;
  isRead?: boolean;
  [field: string]: unknown;
}

interface MailFolder {
  id: string;
  childFolderCount?: number;
}

/** Child folders of {folder}, as few fields as the walk needs. */
const CHILD_FOLDERS: RequestDefinition = {
  method: 'GET',
  path: '{connection.userPath}/mailFolders/{folder}/childFolders',
  query: { $select: 'id,displayName,childFolderCount', $top: '100' },
};

const MARK_READ: RequestDefinition = {
  method: 'PATCH',
  path: '{connection.userPath}/messages/{messageId}',
  body: { type: 'json', expr: '{isRead: `true`}' },
};

/** Folders walked at most, so a mailbox with thousands of folders cannot make one call endless. */
const MAX_FOLDERS = 200;

/**
 * Get Emails: the declarative list of one folder, plus the two things Graph has no parameter
 * for: includeSubfolders (walk the child folders and list each: messages are per folder) and
 * markAsRead (one PATCH per unread email returned).
 */
export const graphGetEmails: RegisteredStep = {
  run: async (ctx) => {
    let messages = (await ctx.run({ shape: false })) as Message[];
    if (ctx.input.includeSubfolders === true) messages = await withSubfolders(ctx, messages);
    if (ctx.input.markAsRead === true) {
      for (const message of messages) {
        if (message.isRead !== false) continue;
        await ctx.call(MARK_READ, { ...ctx.input, messageId: message.id });
        message.isRead = true;
      }
    }
    return messages;
  },
};

async function withSubfolders(ctx: StepContext, first: Message[]): Promise<Message[]> {
  const maxRecords = ctx.input.maxRecords as number;
  const folders: string[] = [];
  const queue = [String(ctx.input.folder)];
  while (queue.length > 0 && folders.length < MAX_FOLDERS) {
    const parent = queue.shift()!;
    const children = (await ctx.run({ request: CHILD_FOLDERS, input: { ...ctx.input, folder: parent }, shape: false, maxRecords: MAX_FOLDERS })) as MailFolder[];
    for (const child of children) {
      folders.push(child.id);
      if ((child.childFolderCount ?? 1) > 0) queue.push(child.id);
    }
  }
  if (queue.length > 0 || folders.length > MAX_FOLDERS) {
    ctx.truncate({ reason: 'max-pages', message: `Only the emails of the first ${MAX_FOLDERS} subfolders were read.` });
  }
  const all = [...first];
  // Each folder is listed up to maxRecords: the newest emails may be in any of them.
  for (const folder of folders.slice(0, MAX_FOLDERS)) all.push(...((await ctx.run({ input: { ...ctx.input, folder }, shape: false })) as Message[]));
  sortLike(all, ctx.input.orderBy);
  if (all.length > maxRecords) {
    ctx.truncate({ reason: 'max-records', message: `Stopped at maxRecords (${maxRecords}); more emails exist in the folder and its subfolders.` });
    return all.slice(0, maxRecords);
  }
  return all;
}

/** Orders the merged folders as Graph ordered each one, when orderBy names one field. */
function sortLike(messages: Message[], orderBy: unknown): void {
  const m = typeof orderBy === 'string' ? /^([A-Za-z]+)(?: (asc|desc))?$/.exec(orderBy.trim()) : null;
  if (!m) return;
  const field = m[1]!;
  const sign = m[2] === 'desc' ? -1 : 1;
  messages.sort((a, b) => {
    const x = a[field];
    const y = b[field];
    if (x === y) return 0;
    if (x === undefined || x === null) return 1;
    if (y === undefined || y === null) return -1;
    return (x < y ? -1 : 1) * sign;
  });
}
