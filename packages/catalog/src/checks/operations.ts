// Activity, object and trigger checks: unique keys, references to objects and scopes, compilable
// schemas, and request templates whose placeholders name input properties or connection values.
import { pointerJoin } from '../pointer.ts';
import type { ActivityDefinition, JsonSchema, RequestDefinition, TriggerDefinition } from '../types.ts';
import { isSecret, metadataNames, scopesOf } from '../definition.ts';
import type { Checks, Resolver } from './context.ts';
import { checkActivityExpressions } from './expressions.ts';
import { checkFieldRef } from './field-ref.ts';
import { schemaCompiler } from './schemas.ts';

function inputNames(schema: JsonSchema | undefined): Set<string> {
  const props = schema?.properties;
  return new Set(props && typeof props === 'object' && !Array.isArray(props) ? Object.keys(props) : []);
}

function requiredNames(schema: JsonSchema | undefined): Set<string> {
  const names = new Set(Array.isArray(schema?.required) ? schema.required.filter((r): r is string => typeof r === 'string') : []);
  // A property with a default always has a value: the runtime fills defaults before rendering.
  const props = schema?.properties;
  if (props && typeof props === 'object' && !Array.isArray(props)) {
    for (const [name, prop] of Object.entries(props)) {
      if (prop && typeof prop === 'object' && !Array.isArray(prop) && prop.default !== undefined) names.add(name);
    }
  }
  return names;
}

/** Resolver of activity and trigger templates: bare names are inputs, connection values are namespaced. */
function operationResolver(c: Checks, inputs: Set<string>, extra: readonly string[] = []): Resolver {
  return (name) => {
    if (extra.includes(name) || inputs.has(name)) return undefined;
    if (name.startsWith('environment.')) return c.environment(name);
    if (name.startsWith('connection.')) {
      const key = name.slice('connection.'.length);
      return c.everyAuthHas(key) ? undefined : `"${key}" is not a connection field or variable of every auth type`;
    }
    if (name.startsWith('metadata.')) {
      const key = name.slice('metadata.'.length);
      return c.def.auth.every((a) => metadataNames(a).has(key)) ? undefined : `not token metadata of every auth type`;
    }
    if (name.includes('.')) return 'unknown namespace (use connection., environment. or metadata.)';
    return inputs.size || extra.length ? `not an input property (${[...inputs, ...extra].join(', ')})` : 'this template takes no input placeholders';
  };
}

function checkRequest(c: Checks, request: RequestDefinition, path: string, resolve: Resolver, input?: JsonSchema): void {
  const inputs = inputNames(input);
  const required = requiredNames(input);
  for (const name of c.template(request.path, `${path}/path`, resolve)) {
    // An absent path parameter would make a different URL, so path inputs must be required
    // (or defaulted); optional parts of a path belong in variables, whose candidates may skip them.
    if (inputs.has(name) && !required.has(name)) {
      c.fail(`${path}/path`, 'optional-path-param', `path placeholder {${name}} must be a required input property (or have a default; for an optional part of the path use a variable)`);
    }
  }
  for (const kind of ['query', 'headers'] as const) {
    for (const [name, value] of Object.entries(request[kind] ?? {})) {
      if (typeof value === 'string') c.template(value, pointerJoin(`${path}/${kind}`, name), resolve);
    }
  }
  const body = request.body;
  if (!body) return;
  const sources = (body.expr !== undefined ? 1 : 0) + (body.from !== undefined ? 1 : 0);
  const ok = body.type === 'none' ? sources === 0 : body.type === 'raw' ? body.from !== undefined && sources === 1 : sources === 1;
  if (!ok) {
    const want = body.type === 'none' ? 'neither expr nor from' : body.type === 'raw' ? 'from (and no expr)' : 'exactly one of expr and from';
    c.fail(`${path}/body`, 'body-source', `a ${body.type} body takes ${want}`);
  }
  if (body.from !== undefined && !inputs.has(body.from)) c.fail(`${path}/body/from`, 'unknown-input', `"${body.from}" is not an input property`);
}

export function checkOperations(c: Checks): void {
  const compile = schemaCompiler(c);
  const def = c.def;
  const objectKeys = new Set<string>();
  def.objects?.forEach((object, i) => {
    const path = `/objects/${i}`;
    if (objectKeys.has(object.key)) c.fail(`${path}/key`, 'duplicate-key', `object "${object.key}" is defined twice`);
    objectKeys.add(object.key);
    c.template(object.path, `${path}/path`, operationResolver(c, new Set()));
    c.template(object.itemPath, `${path}/itemPath`, operationResolver(c, new Set(['id'])));
    if (!object.itemPath.includes('{id}')) c.fail(`${path}/itemPath`, 'missing-id-placeholder', 'the item path must contain {id}');
    compile(object.schema, `${path}/schema`);
  });

  const availableScopes = new Set(def.auth.flatMap((a) => (scopesOf(a)?.available ?? []).map((s) => s.value)));
  const activityKeys = new Set<string>();
  def.activities.forEach((activity, i) => {
    const path = `/activities/${i}`;
    if (activityKeys.has(activity.key)) c.fail(`${path}/key`, 'duplicate-key', `activity "${activity.key}" is defined twice`);
    activityKeys.add(activity.key);
    if (activity.object !== undefined && !objectKeys.has(activity.object)) c.fail(`${path}/object`, 'unknown-object', `"${activity.object}" is not an object of this connector`);
    activity.scopes?.forEach((s, k) => availableScopes.has(s) || c.fail(`${path}/scopes/${k}`, 'scope-not-available', `"${s}" is not an available scope of any auth type`));
    compile(activity.input, `${path}/input`);
    compile(activity.output, `${path}/output`);
    const variables = checkVariables(c, activity, path);
    checkRequest(c, activity.request, `${path}/request`, operationResolver(c, inputNames(activity.input), variables), activity.input);
    checkActivityExpressions(c, activity, path);
  });

  const triggerKeys = new Set<string>();
  def.triggers.forEach((trigger, i) => {
    const path = `/triggers/${i}`;
    if (triggerKeys.has(trigger.key)) c.fail(`${path}/key`, 'duplicate-key', `trigger "${trigger.key}" is defined twice`);
    triggerKeys.add(trigger.key);
    if (trigger.object !== undefined && !objectKeys.has(trigger.object)) c.fail(`${path}/object`, 'unknown-object', `"${trigger.object}" is not an object of this connector`);
    if (trigger.input) compile(trigger.input, `${path}/input`);
    if (trigger.output) compile(trigger.output, `${path}/output`);
    checkTrigger(c, trigger, path);
  });
  def.triggers.forEach((trigger, i) => {
    if (trigger.mode === 'webhook' && trigger.webhook.catchUp) checkCatchUp(c, trigger, def.triggers, `/triggers/${i}/webhook/catchUp/trigger`);
  });
}

/** The catch-up poll runs with the webhook trigger's parameters, so it must be a polling trigger that takes no others. */
function checkCatchUp(c: Checks, trigger: TriggerDefinition, all: TriggerDefinition[], path: string): void {
  const key = trigger.mode === 'webhook' ? trigger.webhook.catchUp!.trigger : '';
  const companion = all.find((t) => t.key === key);
  if (!companion) return c.fail(path, 'unknown-trigger', `"${key}" is not a trigger of this connector`);
  if (companion.mode !== 'polling') return c.fail(path, 'not-polling', `"${key}" is a webhook trigger; catching up needs a polling trigger`);
  const mine = inputNames(trigger.input);
  const missing = [...inputNames(companion.input)].filter((name) => !mine.has(name));
  if (missing.length) c.fail(path, 'input-mismatch', `"${key}" takes parameters this trigger does not have: ${missing.join(', ')}`);
}

/**
 * Activity variables: each candidate may use any input (optional ones too: a candidate whose
 * placeholders lack values is skipped), connection values and the variables declared before it.
 * Returns the bare names the request templates may then use.
 */
function checkVariables(c: Checks, activity: ActivityDefinition, path: string): string[] {
  const inputs = inputNames(activity.input);
  const declared: string[] = [];
  for (const [name, value] of Object.entries(activity.variables ?? {})) {
    const at = pointerJoin(`${path}/variables`, name);
    if (name.startsWith('connection.')) {
      const key = name.slice('connection.'.length);
      if (!c.everyAuthHas(key)) c.fail(at, 'unknown-placeholder', `"${key}" is not a connection field or variable of every auth type, so there is nothing to override`);
    } else if (inputs.has(name)) {
      c.fail(at, 'variable-shadows-input', `variable "${name}" has the name of an input property`);
    }
    const resolve = operationResolver(c, inputs, declared);
    (Array.isArray(value) ? value : [value]).forEach((candidate, i) => c.template(candidate, Array.isArray(value) ? `${at}/${i}` : at, resolve));
    if (!name.startsWith('connection.')) declared.push(name);
  }
  return declared;
}

const SUBSCRIPTION_NAMES = ['webhook.url', 'subscription.id', 'subscription.secret', 'subscription.expiresAt'];

function checkTrigger(c: Checks, trigger: TriggerDefinition, path: string): void {
  const inputs = inputNames(trigger.input);
  const hasField = (key: string) => c.connectionField(key) !== undefined;
  if (trigger.mode === 'polling') {
    const extra = trigger.polling.watermark ? ['watermark'] : [];
    checkRequest(c, trigger.polling.request, `${path}/polling/request`, operationResolver(c, inputs, extra), trigger.input);
    return;
  }
  const webhook = trigger.webhook;
  const base = `${path}/webhook`;
  const subscription = webhook.subscription;
  if (subscription) {
    const resolve = operationResolver(c, inputs, SUBSCRIPTION_NAMES);
    checkRequest(c, subscription.create.request, `${base}/subscription/create/request`, resolve, trigger.input);
    if (subscription.renew) checkRequest(c, subscription.renew, `${base}/subscription/renew`, resolve, trigger.input);
    if (subscription.delete) checkRequest(c, subscription.delete, `${base}/subscription/delete`, resolve, trigger.input);
  }
  const connectionOnly = operationResolver(c, new Set());
  const lookup = (key: string) => c.connectionField(key);
  const signature = webhook.signature;
  if (signature) {
    const at = `${base}/signature`;
    checkFieldRef(c, signature.algorithm, `${at}/algorithm`, ['hmac-sha256', 'hmac-sha1', 'hmac-sha512', 'ed25519'], lookup, true);
    checkFieldRef(c, signature.encoding, `${at}/encoding`, ['hex', 'base64'], lookup, true);
    if (signature.header !== undefined) c.template(signature.header, `${at}/header`, connectionOnly);
    if (signature.prefix !== undefined) c.template(signature.prefix, `${at}/prefix`, connectionOnly);
    if (signature.signedPayload !== undefined) c.template(signature.signedPayload, `${at}/signedPayload`, operationResolver(c, new Set(), ['body', 'timestamp', 'url', 'method']));
    if (signature.secret.from === 'connection-field' && signature.secret.field !== undefined) {
      const field = c.connectionField(signature.secret.field);
      if (!field) c.fail(`${at}/secret/field`, 'unknown-field', `"${signature.secret.field}" is not a connection field of every auth type`);
      else if (!isSecret(field)) c.fail(`${at}/secret/field`, 'credential-not-secret', `"${signature.secret.field}" holds a signing secret: make it type secret`);
    }
    if (signature.when && !hasField(signature.when.field)) c.fail(`${at}/when/field`, 'unknown-field', `"${signature.when.field}" is not a connection field`);
  }
  const challenge = webhook.challenge;
  if (challenge) {
    const at = `${base}/challenge`;
    checkFieldRef(c, challenge.type, `${at}/type`, ['query-echo', 'body-echo', 'none'], lookup, true);
    if (challenge.param !== undefined) c.template(challenge.param, `${at}/param`, connectionOnly);
    else if (challenge.type.startsWith('{')) c.fail(`${at}/param`, 'required', 'required property "param" is missing (the field may select an echo challenge)');
    if (challenge.when && !hasField(challenge.when.field)) c.fail(`${at}/when/field`, 'unknown-field', `"${challenge.when.field}" is not a connection field`);
  }
}
