/** How Exchange refuses query options that change tracking does not support. */
import { GraphError } from '../errors.ts';

/** Exchange's wording for options a delta function cannot take (seen for calendarView delta). */
export function unsupportedWithDelta(resource: string, options: readonly string[]): GraphError {
  return new GraphError(400, 'ErrorInvalidUrlQuery', `The following parameters are not supported with change tracking over the '${resource}' resource: '${options.join(', ')}'.`);
}

export const invalidDeltaFilter = () =>
  new GraphError(400, 'ErrorInvalidUrlQueryFilter', "The query filter contains one or more invalid nodes. Change tracking supports only 'receivedDateTime ge' or 'receivedDateTime gt' a date-time.");

export const invalidDeltaOrderBy = () =>
  new GraphError(400, 'ErrorInvalidUrlQuery', "Change tracking supports only '$orderby=receivedDateTime desc'.");
