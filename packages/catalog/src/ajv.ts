// One place that builds Ajv instances, so both the definition validator and the schema compiler
// get draft 2020-12 with ajv-formats.
import { Ajv2020, type Options } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

type AddFormats = typeof addFormatsModule.default;
// ajv-formats is CommonJS: under ESM the plugin function is the default export's `default`.
const addFormats: AddFormats = (addFormatsModule as unknown as { default?: AddFormats }).default ?? (addFormatsModule as unknown as AddFormats);

export function createAjv(options: Options): Ajv2020 {
  const ajv = new Ajv2020(options);
  addFormats(ajv);
  return ajv;
}
