import { Type } from '@sinclair/typebox';
import type { Catalog } from '@switchboard/catalog';
import type { App } from '../http/app.ts';
import { problems } from '../http/schemas.ts';
import type { ActivityRuntime } from './runtime.ts';

const JsonSchemaDoc = Type.Record(Type.String(), Type.Unknown(), { description: 'A JSON Schema (draft 2020-12).' });

const ActivitySchema = Type.Object(
  {
    key: Type.String({ examples: ['send-email'] }),
    displayName: Type.String(),
    description: Type.String(),
    kind: Type.Union([Type.Literal('curated'), Type.Literal('operation'), Type.Literal('record')], {
      description: 'curated: hand-designed; operation: a thin wrapper of one endpoint; record: a generic record activity derived from one of the connector\'s objects.',
    }),
    curated: Type.Boolean(),
    category: Type.Optional(Type.String()),
    object: Type.Optional(Type.String({ description: 'The object a record activity works on.' })),
    scopes: Type.Optional(Type.Array(Type.String(), { description: 'Least-privileged vendor scopes the activity needs.' })),
    input: JsonSchemaDoc,
    output: JsonSchemaDoc,
    paginated: Type.Boolean({ description: 'A list that may take several vendor pages; maxRecords and meta.truncated apply.' }),
    binary: Type.Boolean({ description: 'Returns a file: {fileName, contentType, size, contentBase64}, or the bytes with Accept: application/octet-stream.' }),
    composite: Type.Boolean({ description: 'Runs several dependent vendor requests (e.g. an upload session).' }),
  },
  { $id: 'Activity' },
);

const Truncated = Type.Object({
  reason: Type.Union(['max-records', 'max-pages', 'repeated-cursor', 'identical-page', 'foreign-next-link'].map((r) => Type.Literal(r))),
  message: Type.String(),
});

const ActivityResultSchema = Type.Object(
  {
    output: Type.Unknown({ description: "The activity's output, described by its output schema." }),
    meta: Type.Object({
      requestId: Type.String(),
      pages: Type.Integer({ description: 'List pages fetched (a single response is one page).' }),
      calls: Type.Integer({ description: 'Vendor requests sent, including every step of a composite activity.' }),
      durationMs: Type.Number(),
      truncated: Type.Optional(Truncated),
    }),
  },
  { $id: 'ActivityResult' },
);

/** A caller that prefers the file as it is (and did not ask for JSON first) gets the bytes. */
function wantsFile(accept: string | undefined): boolean {
  if (!accept) return false;
  const types = accept.split(',').map((t) => t.split(';')[0]!.trim().toLowerCase());
  const file = types.indexOf('application/octet-stream');
  const json = types.indexOf('application/json');
  return file >= 0 && (json < 0 || file < json);
}

/** RFC 6266 / 8187: a file name any header can carry. */
function contentDisposition(fileName: string | null): string {
  if (!fileName) return 'attachment';
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

export function activityRoutes(app: App, runtime: ActivityRuntime, catalog: Catalog): void {
  app.addSchema(ActivitySchema);
  app.addSchema(ActivityResultSchema);
  const tags = ['Activities'];

  app.get('/api/v1/connectors/:key/activities', {
    schema: {
      tags,
      summary: "List a connector's activities with their input and output schemas",
      description: 'Declared activities and the generic record activities (list-, get-, create-, update-, replace-, delete-<object>) of the connector\'s objects. httpRequest says whether the raw HTTP Request activity is offered for the connector.',
      params: Type.Object({ key: Type.String() }),
      response: {
        200: Type.Object({
          connector: Type.String(),
          httpRequest: Type.Object({ offered: Type.Boolean({ description: 'Whether the HTTP Request activity (a raw call relative to the connection base URL, credentials injected) is available.' }) }),
          items: Type.Array(Type.Ref('Activity')),
        }),
        ...problems(401, 404),
      },
    },
  }, async (request) => {
    const items = runtime.describe(request.params.key);
    return { connector: request.params.key, httpRequest: { offered: catalog.get(request.params.key)?.http.offered ?? false }, items };
  });

  app.get('/api/v1/connectors/:key/activities/:activity', {
    schema: {
      tags,
      summary: 'Get one activity of a connector',
      params: Type.Object({ key: Type.String(), activity: Type.String() }),
      response: { 200: Type.Ref('Activity'), ...problems(401, 404) },
    },
  }, async (request) => runtime.describeOne(request.params.key, request.params.activity));

  app.post('/api/v1/connections/:id/activities/:activity', {
    schema: {
      tags,
      summary: 'Run an activity as a connection',
      description:
        'Validates `input` against the activity\'s input schema (400 ACTIVITY_INPUT_INVALID, nothing sent), calls the vendor as the connection, pages through lists (maxRecords, meta.truncated), and returns the output. Vendor errors keep the vendor status, code and message. A file activity returns {fileName, contentType, size, contentBase64}, or the bytes themselves with Accept: application/octet-stream.',
      params: Type.Object({ id: Type.String(), activity: Type.String() }),
      body: Type.Object({ input: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: "The activity's input; see its input schema." })) }, { additionalProperties: false }),
      response: {
        200: {
          description: 'The output, or the file bytes for a file activity asked for as application/octet-stream.',
          content: {
            'application/json': { schema: Type.Ref('ActivityResult') },
            'application/octet-stream': { schema: Type.String({ format: 'binary' }) },
          },
        },
        ...problems(400, 401, 403, 404, 406, 409, 413, 422, 429, 500, 502, 503, 504),
      },
    },
  }, async (request, reply) => {
    const wantFile = wantsFile(request.headers.accept);
    const result = await runtime.invoke(request.principal, request.params.id, request.params.activity, request.body?.input ?? {}, { requestId: request.id, wantFile });
    if (result.file) {
      reply
        .header('content-type', result.file.contentType)
        .header('content-disposition', contentDisposition(result.file.fileName))
        .header('x-activity-pages', String(result.meta.pages));
      if (result.file.size !== undefined) reply.header('content-length', String(result.file.size));
      return reply.send(result.file.stream ?? result.file.bytes);
    }
    return reply.type('application/json').send({ output: result.output, meta: result.meta });
  });
}
