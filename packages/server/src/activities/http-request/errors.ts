import { registerErrorCodes } from '../../problems/catalog.ts';

// Codes of the HTTP Request activity (POST /api/v1/connections/{id}/http). What the vendor
// answered is not an error here: the HTTP Request passes vendor statuses through.
registerErrorCodes({
  HTTP_REQUEST_INVALID: {
    status: 400,
    title: 'The HTTP Request is not valid',
    meaning: 'The method, path, query, headers or body cannot be sent as given: for example a header Switchboard sets itself (Authorization, Cookie, Host, hop-by-hop headers), a body on GET, or a base64 body that is not base64. `errors` names the field. Nothing was sent to the vendor.',
    fix: 'Correct the field named in `errors[].path`. Credentials are added by Switchboard from the connection: do not send them.',
  },
  ORIGIN_NOT_ALLOWED: {
    status: 400,
    title: 'The URL is not on the connection\'s base URL',
    meaning: 'The HTTP Request sends the connection\'s credentials, so it only calls URLs on the origin (scheme, host and port) of the connection\'s base URL. An absolute URL on another origin was given. Nothing was sent.',
    fix: 'Give a path relative to the base URL (e.g. /me), or an absolute URL on the same origin. To call another API, create a connection for it.',
  },
  HTTP_REQUEST_NOT_OFFERED: {
    status: 400,
    title: 'The connector does not offer the HTTP Request',
    meaning: 'The connection\'s connector does not allow raw HTTP requests (its definition sets `http.offered` to false), usually because its API has no stable base URL or needs request signing the HTTP Request does not do.',
    fix: 'Use the connector\'s activities (GET /api/v1/connectors/{key}), or an HTTP connector connection for the API.',
  },
});
