import { type TSchema, Type } from '@sinclair/typebox';

/** Shared response schemas; registered once and referenced by `$ref` so the OpenAPI document names them. */
export const ProblemSchema = Type.Object(
  {
    type: Type.String({ description: 'URI of the problem type: the error catalog entry for `code`.' }),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String({ description: 'What went wrong, for people.' }),
    code: Type.String({ description: 'Stable machine-readable error code; see GET /api/v1/errors.' }),
    requestId: Type.Optional(Type.String({ description: 'Correlation id; also in the X-Request-Id header and the server log.' })),
    errors: Type.Optional(
      Type.Array(
        Type.Object({
          path: Type.String({ description: 'JSON Pointer to the offending field, prefixed by the request part (/body, /query, /params).' }),
          message: Type.String(),
          rule: Type.Optional(Type.String()),
        }),
      ),
    ),
  },
  { $id: 'Problem', additionalProperties: true, description: 'RFC 9457 problem details.' },
);

const problemRef = Type.Ref('Problem');

/** The error responses a route can produce, for its OpenAPI description. */
export function problems(...statuses: number[]): Record<number, TSchema> {
  return Object.fromEntries(statuses.map((s) => [s, problemRef]));
}

export const Uuid = Type.String({ format: 'uuid' });

export const PageQuery = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50, description: 'Items per page.' })),
  cursor: Type.Optional(Type.String({ description: 'Opaque cursor from the previous page\'s `nextCursor`.' })),
};

export function Page<T extends TSchema>(item: T) {
  return Type.Object({
    items: Type.Array(item),
    nextCursor: Type.Union([Type.String(), Type.Null()], { description: 'Pass as `cursor` to get the next page; null on the last page.' }),
  });
}
