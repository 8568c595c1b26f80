/** Errors as OneDrive and SharePoint word them behind Graph (camelCase codes, errors.md list). */
import { GraphError } from '../errors.ts';

export const FileErrors = {
  itemNotFound: () => new GraphError(404, 'itemNotFound', 'The resource could not be found.'),
  siteNotFound: () => new GraphError(404, 'itemNotFound', 'Requested site could not be found'),
  listNotFound: () => new GraphError(404, 'itemNotFound', 'The specified list was not found'),
  nameAlreadyExists: (message = 'The specified item name already exists.') => new GraphError(409, 'nameAlreadyExists', message),
  invalidRequest: (message: string) => new GraphError(400, 'invalidRequest', message),
  notSupported: (message: string) => new GraphError(400, 'notSupported', message),
  invalidRange: (message: string) => new GraphError(416, 'invalidRange', message),
  resourceModified: () => new GraphError(412, 'resourceModified', "ETag does not match current item's value."),
  unauthenticated: (message: string) => new GraphError(401, 'unauthenticated', message),
};
