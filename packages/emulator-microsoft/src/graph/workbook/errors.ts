/**
 * Excel API errors: PascalCase top-level codes with the camelCase detail in innerError, as the
 * Excel service returns them (see "Error codes for Excel APIs in Microsoft Graph").
 */
import { GraphError } from '../errors.ts';

export const WorkbookErrors = {
  notFound: () => new GraphError(404, 'ItemNotFound', "The requested resource doesn't exist.", {}, { code: 'itemNotFound' }),
  invalidArgument: (message = 'The argument is invalid or missing or has an incorrect format.') => new GraphError(400, 'InvalidArgument', message, {}, { code: 'invalidArgument' }),
  shapeMismatch: () => WorkbookErrors.invalidArgument("The number of rows or columns in the input array doesn't match the size or dimensions of the range."),
  alreadyExists: () => new GraphError(409, 'ItemAlreadyExists', 'The resource already exists.', {}, { code: 'itemAlreadyExists' }),
  notAWorkbook: () => new GraphError(400, 'invalidRequest', 'The item is not an Excel workbook (.xlsx).'),
};
