/**
 * mailboxSettings: GET the whole resource or one property (`/mailboxSettings/timeZone`), PATCH
 * some of it. The PATCH response carries only the properties that were sent, as Graph's does.
 */
import { applySettingsPatch, SETTINGS_PROPERTIES } from '../../data/mail/settings-input.ts';
import { RULES } from '../access.ts';
import type { GraphCall, GraphHandler } from '../call.ts';
import { GraphErrors } from '../errors.ts';
import type { Route } from '../router/match.ts';
import { mailContext, openMailbox } from './mailbox-access.ts';

const get: GraphHandler = (call) => {
  const ctx = openMailbox(call, RULES.mailboxSettingsRead);
  return { status: 200, body: { '@odata.context': mailContext(call, ctx, 'mailboxSettings'), ...structuredClone(ctx.mailbox.settings) } };
};

const getProperty: GraphHandler = (call: GraphCall) => {
  const ctx = openMailbox(call, RULES.mailboxSettingsRead);
  const wanted = call.param('property').toLowerCase();
  const name = SETTINGS_PROPERTIES.find((p) => p.toLowerCase() === wanted);
  if (!name) throw GraphErrors.segmentNotFound(call.param('property'));
  const value = structuredClone(ctx.mailbox.settings[name]);
  const context = mailContext(call, ctx, `mailboxSettings/${name}`);
  return { status: 200, body: typeof value === 'object' ? { '@odata.context': context, ...value } : { '@odata.context': context, value } };
};

const patch: GraphHandler = (call) => {
  const ctx = openMailbox(call, RULES.mailboxSettingsWrite);
  let changed: string[] = [];
  ctx.mailbox.updateSettings((s) => (changed = applySettingsPatch(s, call.json())));
  const s = ctx.mailbox.settings as unknown as Record<string, unknown>;
  return { status: 200, body: { '@odata.context': mailContext(call, ctx, 'mailboxSettings'), ...Object.fromEntries(changed.map((k) => [k, structuredClone(s[k])])) } };
};

export const MAILBOX_SETTINGS_ROUTES: Route<GraphHandler>[] = [
  { pattern: '{user}/mailboxSettings', methods: { GET: get, PATCH: patch } },
  { pattern: '{user}/mailboxSettings/:property', methods: { GET: getProperty } },
];
