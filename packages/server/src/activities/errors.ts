import { registerErrorCodes } from '../problems/catalog.ts';

// Codes of the activity runtime. Vendor failures keep the vendor client's VENDOR_* codes, so a
// Graph 404 reads the same whether it came through an activity or the HTTP Request.
registerErrorCodes({
  ACTIVITY_NOT_FOUND: {
    status: 404,
    title: 'Unknown activity',
    meaning: "The connection's connector has no activity with this key.",
    fix: 'List the activities with GET /api/v1/connectors/{key}/activities and use one of their keys.',
  },
  ACTIVITY_INPUT_INVALID: {
    status: 400,
    title: 'The activity input is not valid',
    meaning: "The input does not match the activity's input schema, or names a filter the vendor cannot apply. `errors` lists each path (e.g. /input/to/0) and rule. Nothing was sent to the vendor.",
    fix: 'Correct the input as `errors` says; the schema is in GET /api/v1/connectors/{key}/activities.',
  },
  ACTIVITY_NOT_BINARY: {
    status: 406,
    title: 'The activity does not return a file',
    meaning: 'The request asked for application/octet-stream, but this activity returns JSON.',
    fix: 'Send Accept: application/json (or none) for this activity.',
  },
  ACTIVITY_UNEXPECTED_RESPONSE: {
    status: 502,
    title: 'The vendor answered in an unexpected way',
    meaning: 'The vendor answered with a success status the activity does not expect, or without the data a step of the activity needs (e.g. no upload URL).',
    fix: 'Retry; if it persists the vendor changed its API: report it with the `requestId`.',
  },
  ACTIVITY_INCOMPLETE: {
    status: 502,
    title: 'The activity did not complete',
    meaning: 'A multi-step activity (an upload session, a copy the vendor runs in the background) failed or did not finish in time after its first steps succeeded. `completedSteps` says how far it got.',
    fix: 'Check the target at the vendor before retrying, as part of the work may be done.',
  },
  ACTIVITY_DEFINITION_ERROR: {
    status: 500,
    title: 'The activity definition failed',
    meaning: "The connector's definition of this activity could not be applied to this input (an expression failed or a template had no value). This is a defect of the connector, not of the input.",
    fix: 'Report the connector, the activity and the `requestId` to the connector maintainer.',
  },
});
