/** Errors as Exchange Online words them behind Graph (mail, calendar, mailbox settings). */
import { GraphError } from './errors.ts';

export const OutlookErrors = {
  itemNotFound: () => new GraphError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.'),
  /** Graph parses an id before looking it up: anything not shaped like an Exchange id is 400. */
  idMalformed: () => new GraphError(400, 'ErrorInvalidIdMalformed', 'Id is malformed.'),
  noRecipients: () => new GraphError(400, 'ErrorInvalidRecipients', "At least one recipient isn't valid., A message can't be sent because it contains no recipients."),
  updateSentMessage: () => new GraphError(400, 'ErrorInvalidPropertyUpdateSentMessage', 'Update operation is invalid for property of a sent message.'),
  invalidRequest: (message: string) => new GraphError(400, 'ErrorInvalidRequest', message),
  /** Unknown property in $select/$filter/$orderby: the OData error Outlook reports under its own type names. */
  unknownProperty: (type: string) => (name: string) =>
    new GraphError(400, 'RequestBroker--ParseUri', `Could not find a property named '${name}' on type 'Microsoft.OutlookServices.${type}'.`),
  /** Unknown property in a request body. */
  unknownBodyProperty: (name: string, type: string) =>
    new GraphError(
      400,
      'RequestBodyRead',
      `The property '${name}' does not exist on type 'Microsoft.OutlookServices.${type}'. Make sure to only use property names that are defined by the type or mark the type as open type.`,
    ),
  invalidMime: () => new GraphError(400, 'ErrorMimeContentInvalidBase64String', 'Invalid base64 string for MIME content.'),
  folderExists: (name: string) => new GraphError(409, 'ErrorFolderExists', `A folder with the specified name already exists., ${name}`),
};
