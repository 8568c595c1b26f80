/**
 * The subscription service's errors. It answers in its own style rather than Exchange's:
 * `InvalidRequest` for bad input and failed validation, `ExtensionError` for what the
 * resource's service (Exchange) refuses, with the messages Graph is seen to return.
 */
import { GraphError } from '../errors.ts';

export const SubscriptionErrors = {
  invalid: (message: string) => new GraphError(400, 'InvalidRequest', message),
  required: (property: string) => new GraphError(400, 'InvalidRequest', `${property} is a required property for subscription creation.`),
  /** Graph's answer to a body it cannot map onto a subscription. */
  payload: () => new GraphError(400, 'BadRequest', 'Could not process subscription creation payload. Are all property names spelled and camelCased properly?'),
  validationFailed: () =>
    new GraphError(400, 'InvalidRequest', 'Subscription validation request failed. Notification endpoint must respond with 200 OK to validation request.'),
  tooLong: (minutes: number) => new GraphError(400, 'ExtensionError', `Subscription expiration can only be ${minutes} minutes in the future.`),
  inPast: () => new GraphError(400, 'ExtensionError', 'Subscription expiration can only be in the future.'),
  accessDenied: (operation: 'Create' | 'Update') =>
    new GraphError(403, 'ExtensionError', `Operation: ${operation}; Exception: [Status Code: Forbidden; Reason: Access is denied. Check credentials and try again.]`),
  notFound: () => new GraphError(404, 'ResourceNotFound', 'The object was not found.'),
};
