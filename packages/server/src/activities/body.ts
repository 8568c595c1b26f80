import type { BodyDefinition, JsonSchema } from '@switchboard/catalog';
import { Problem } from '../problems/problem.ts';
import { evaluateOrFail } from './expressions.ts';

export interface EncodedBody {
  body: string | Uint8Array;
  contentType: string;
}

/** A file in an input: what multipart parts and uploads are made of. */
interface FileValue {
  contentBase64: string;
  name?: string;
  fileName?: string;
  contentType?: string;
}

/**
 * Builds a request body from the input as the definition says: `expr` computes it (JMESPath),
 * `from` takes one input property as it is. Returns undefined when there is nothing to send.
 */
export async function encodeBody(def: BodyDefinition | undefined, input: Record<string, unknown>, inputSchema: JsonSchema, where: string): Promise<EncodedBody | undefined> {
  if (!def || def.type === 'none') return undefined;
  const value = def.expr !== undefined ? withoutNullMembers(evaluateOrFail(def.expr, input, { input }, `${where} body`)) : def.from !== undefined ? input[def.from] : undefined;
  if (value === undefined || value === null) return undefined;
  switch (def.type) {
    case 'json':
      return { body: JSON.stringify(value), contentType: def.contentType ?? 'application/json' };
    case 'form':
      return { body: formEncode(value, where).toString(), contentType: def.contentType ?? 'application/x-www-form-urlencoded' };
    case 'multipart':
      return multipart(value, where);
    case 'raw':
      return { body: rawBytes(value, def.from !== undefined ? propertySchema(inputSchema, def.from) : undefined), contentType: def.contentType ?? 'application/octet-stream' };
  }
}

/**
 * JMESPath cannot tell an absent input from null, and a multi-select hash names every key, so
 * object members that came out null are dropped: absent optional inputs vanish from the body
 * instead of being sent as explicit nulls (which many APIs read as "clear this field").
 * Array elements are kept: a null in a list is positional (an Excel cell left unchanged).
 */
export function withoutNullMembers(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNullMembers);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== null && v !== undefined) out[k] = withoutNullMembers(v);
    return out;
  }
  return value;
}

function formEncode(value: unknown, where: string): URLSearchParams {
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw definitionError(where, 'a form body must be an object');
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(value)) {
    for (const item of Array.isArray(v) ? v : [v]) {
      if (item === null || item === undefined) continue;
      params.append(k, typeof item === 'object' ? JSON.stringify(item) : String(item));
    }
  }
  return params;
}

async function multipart(value: unknown, where: string): Promise<EncodedBody> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw definitionError(where, 'a multipart body must be an object (one part per member)');
  const form = new FormData();
  for (const [k, v] of Object.entries(value)) {
    if (isFile(v)) {
      form.append(k, new Blob([Buffer.from(v.contentBase64, 'base64')], { type: v.contentType ?? 'application/octet-stream' }), v.name ?? v.fileName ?? k);
    } else if (v !== null && typeof v === 'object') {
      // Structured parts (e.g. a JSON "body" part some APIs want beside files) are JSON documents.
      form.append(k, new Blob([JSON.stringify(v)], { type: 'application/json' }));
    } else if (v !== null && v !== undefined) {
      form.append(k, String(v));
    }
  }
  // The platform serialises FormData with a fresh boundary; reading it back gives bytes and type.
  const encoded = new Response(form);
  return { body: new Uint8Array(await encoded.arrayBuffer()), contentType: encoded.headers.get('content-type')! };
}

function isFile(v: unknown): v is FileValue {
  return !!v && typeof v === 'object' && typeof (v as FileValue).contentBase64 === 'string';
}

/** A raw body is bytes: base64 inputs (contentEncoding: base64 in their schema) are decoded, text is UTF-8. */
function rawBytes(value: unknown, schema: JsonSchema | undefined): Uint8Array {
  if (typeof value === 'string') return schema?.contentEncoding === 'base64' ? Buffer.from(value, 'base64') : Buffer.from(value, 'utf8');
  if (isFile(value)) return Buffer.from(value.contentBase64, 'base64');
  return Buffer.from(JSON.stringify(value), 'utf8');
}

function propertySchema(schema: JsonSchema, name: string): JsonSchema | undefined {
  const props = schema.properties;
  if (!props || typeof props !== 'object' || Array.isArray(props)) return undefined;
  const prop = (props as Record<string, unknown>)[name];
  return prop && typeof prop === 'object' && !Array.isArray(prop) ? (prop as JsonSchema) : undefined;
}

function definitionError(where: string, message: string): Problem {
  return new Problem('ACTIVITY_DEFINITION_ERROR', `The body of ${where} is wrong: ${message}.`);
}
