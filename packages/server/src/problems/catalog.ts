/**
 * The catalog of stable error codes. Every problem the API returns carries one of these
 * codes; the catalog is served at GET /api/v1/errors so people and programs can look up
 * what a code means and how to fix it. Codes never change meaning once published.
 */
export interface ErrorCodeEntry {
  status: number;
  title: string;
  meaning: string;
  fix: string;
}

export const ERROR_CATALOG = {
  VALIDATION_FAILED: {
    status: 400,
    title: 'The request is not valid',
    meaning: 'One or more fields of the request are missing, of the wrong type or out of range. `errors` lists each field path and rule.',
    fix: 'Correct the fields named in `errors[].path` and send the request again.',
  },
  MALFORMED_JSON: {
    status: 400,
    title: 'The request body is not valid JSON',
    meaning: 'The body could not be parsed as JSON.',
    fix: 'Send a well-formed JSON document with `Content-Type: application/json`.',
  },
  UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    title: 'Unsupported content type',
    meaning: 'The body was sent with a content type this endpoint does not accept.',
    fix: 'Send the body as `application/json`.',
  },
  PAYLOAD_TOO_LARGE: {
    status: 413,
    title: 'The request body is too large',
    meaning: 'The body is larger than the service accepts (SWITCHBOARD_BODY_LIMIT).',
    fix: 'Send a smaller body, or raise SWITCHBOARD_BODY_LIMIT on the server.',
  },
  UNAUTHENTICATED: {
    status: 401,
    title: 'Authentication required',
    meaning: 'The request has no valid API key: none was sent, or it is unknown, revoked or expired.',
    fix: 'Send `Authorization: Bearer <api key>` with an active key. Create one with POST /api/v1/users/{id}/api-keys.',
  },
  FORBIDDEN: {
    status: 403,
    title: 'Permission denied',
    meaning: 'You can see this resource but your role does not grant the permission this action needs. `permission` names it.',
    fix: 'Ask a folder administrator to give you a role that includes the permission.',
  },
  NOT_FOUND: {
    status: 404,
    title: 'Not found',
    meaning: 'The resource does not exist, or you have no access to it (the two are not distinguished, so nothing leaks).',
    fix: 'Check the id, and that you are a member of the folder that holds the resource.',
  },
  ROUTE_NOT_FOUND: {
    status: 404,
    title: 'No such endpoint',
    meaning: 'No API endpoint matches this method and path.',
    fix: 'See the API reference at /api/docs or GET /api/v1/openapi.json.',
  },
  CONFLICT: {
    status: 409,
    title: 'Conflict',
    meaning: 'The request conflicts with the current state, such as a name that is already taken.',
    fix: 'Choose another value, or change the existing resource instead.',
  },
  FOLDER_NOT_EMPTY: {
    status: 409,
    title: 'The folder is not empty',
    meaning: 'A folder can be deleted only when it has no subfolders and holds no connections or triggers.',
    fix: 'Move or delete what the folder contains first.',
  },
  CONNECTOR_NOT_FOUND: {
    status: 404,
    title: 'Unknown connector',
    meaning: 'No connector with this key is in the catalog.',
    fix: 'List the catalog with GET /api/v1/connectors and use one of its keys.',
  },
  INTERNAL_ERROR: {
    status: 500,
    title: 'Internal error',
    meaning: 'The service failed unexpectedly. Nothing about the failure is returned; the request id identifies it in the server log.',
    fix: 'Retry later. If it persists, report the `requestId` to your administrator.',
  },
  SERVICE_UNAVAILABLE: {
    status: 503,
    title: 'Service unavailable',
    meaning: 'The service is starting, stopping, or cannot reach its store.',
    fix: 'Retry after a short wait.',
  },
} as const satisfies Record<string, ErrorCodeEntry>;

export type ErrorCode = keyof typeof ERROR_CATALOG;

/** Later stages register their own codes (connections, activities, triggers) here. */
const registered: Record<string, ErrorCodeEntry> = { ...ERROR_CATALOG };

export function registerErrorCodes(entries: Record<string, ErrorCodeEntry>): void {
  for (const [code, entry] of Object.entries(entries)) {
    if (registered[code] && registered[code] !== entry) throw new Error(`Error code ${code} is registered twice`);
    registered[code] = entry;
  }
}

export function errorCatalog(): Readonly<Record<string, ErrorCodeEntry>> {
  return registered;
}

export function lookupErrorCode(code: string): ErrorCodeEntry | undefined {
  return registered[code];
}
