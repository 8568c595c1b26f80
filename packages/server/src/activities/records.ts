import type { ActivityDefinition, ConnectorDefinition, JsonSchema, ObjectDefinition } from '@switchboard/catalog';
import { WHERE_DEFS, WHERE_SCHEMA } from './where.ts';

/** The step that compiles `where` into the vendor's query language before the declarative list runs. */
export const RECORDS_LIST_STEP = 'records-list';

/** OData page asked for: Graph takes $top up to 999 or 1000, but a page of records with bodies must stay under the JSON cap. */
const ODATA_PAGE_SIZE = 100;

const MAX_RECORDS: JsonSchema = {
  type: 'integer',
  minimum: 1,
  maximum: 100000,
  default: 100,
  description: 'Stop after this many records (fetching stops too). The listing says meta.truncated when more exist.',
};

/**
 * The generic record activities of a connector's objects (UiPath's List All Records, Get,
 * Create, Update, Replace and Delete Record), as ordinary activity definitions: they run through
 * the same runtime as declared ones. Named <operation>-<object>, e.g. list-message.
 */
export function recordActivities(def: ConnectorDefinition): ActivityDefinition[] {
  return (def.objects ?? []).flatMap((object) => object.operations.map((operation) => recordActivity(object, operation)));
}

function recordActivity(object: ObjectDefinition, operation: ObjectDefinition['operations'][number]): ActivityDefinition {
  const record = withoutId(object.schema);
  const id: JsonSchema = { type: 'string', minLength: 1, description: `Id of the ${object.displayName} record (its ${object.idField}).` };
  const common = { object: object.key, curated: false, category: 'Records' };
  const name = object.displayName;
  switch (operation) {
    case 'list':
      return {
        ...common,
        key: `list-${object.key}`,
        displayName: `List ${name} Records`,
        description: `Lists ${name} records, optionally filtered with where${object.queryLanguage === 'odata' ? ', ordered and with chosen fields' : ''}. ${object.description ?? ''}`.trim(),
        input: listInput(object),
        output: { type: 'array', items: record },
        request: { method: 'GET', path: object.path, query: object.queryLanguage === 'odata' ? odataQuery() : {} },
        ...(object.pagination ? { pagination: object.pagination } : {}),
        handler: RECORDS_LIST_STEP,
      };
    case 'get':
      return {
        ...common,
        key: `get-${object.key}`,
        displayName: `Get ${name} Record`,
        description: `Gets one ${name} record by id.`,
        input: { type: 'object', additionalProperties: false, required: ['id'], properties: { id } },
        output: record,
        request: { method: 'GET', path: object.itemPath },
        pagination: { style: 'none' },
      };
    case 'create':
      return {
        ...common,
        key: `create-${object.key}`,
        displayName: `Create ${name} Record`,
        description: `Creates a ${name} record from the given fields.`,
        input: { type: 'object', additionalProperties: false, required: ['record'], properties: { record: { ...record, description: `The fields of the new ${name}.` } } },
        output: record,
        request: { method: 'POST', path: object.path, body: { type: 'json', from: 'record' } },
        pagination: { style: 'none' },
      };
    case 'update':
    case 'replace': {
      const replace = operation === 'replace';
      return {
        ...common,
        key: `${operation}-${object.key}`,
        displayName: `${replace ? 'Replace' : 'Update'} ${name} Record`,
        description: replace ? `Replaces a ${name} record with the given fields (PUT): fields not given are reset.` : `Changes the given fields of a ${name} record (PATCH); other fields keep their values.`,
        input: {
          type: 'object',
          additionalProperties: false,
          required: ['id', 'record'],
          properties: { id, record: { ...(replace ? record : withoutRequired(record)), description: replace ? 'Every field of the record.' : 'Only the fields to change.' } },
        },
        output: record,
        request: { method: replace ? 'PUT' : 'PATCH', path: object.itemPath, body: { type: 'json', from: 'record' } },
        pagination: { style: 'none' },
      };
    }
    case 'delete':
      return {
        ...common,
        key: `delete-${object.key}`,
        displayName: `Delete ${name} Record`,
        description: `Deletes a ${name} record by id.`,
        input: { type: 'object', additionalProperties: false, required: ['id'], properties: { id } },
        output: { type: 'null', description: 'Nothing: the vendor answers 204 No Content.' },
        request: { method: 'DELETE', path: object.itemPath },
        pagination: { style: 'none' },
      };
  }
}

function listInput(object: ObjectDefinition): ActivityDefinition['input'] {
  const properties: Record<string, JsonSchema> = {
    where: object.queryLanguage === 'odata' ? WHERE_SCHEMA : { ...WHERE_SCHEMA, description: `Not available: ${object.displayName} records cannot be filtered by the vendor.` },
    maxRecords: MAX_RECORDS,
  };
  if (object.queryLanguage === 'odata') {
    properties.orderBy = { type: 'string', minLength: 1, maxLength: 500, pattern: '^[A-Za-z0-9_/]+( (asc|desc))?(, ?[A-Za-z0-9_/]+( (asc|desc))?)*$', description: 'Sort order: fields with asc or desc, comma-separated, e.g. receivedDateTime desc.' };
    properties.select = { type: 'array', minItems: 1, items: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$' }, description: 'Only these fields (and the id) in each record.' };
  }
  return { type: 'object', additionalProperties: false, properties, $defs: WHERE_DEFS };
}

function odataQuery() {
  return {
    $orderby: '{orderBy}',
    $select: { expr: "select && join(',', select)" },
    $top: { expr: `min([maxRecords, \`${ODATA_PAGE_SIZE}\`])` },
  };
}

/** A record schema embedded in an activity schema: its $id would clash when compiled twice. */
function withoutId(schema: JsonSchema): JsonSchema {
  const { $id: _id, $schema: _schema, ...rest } = schema;
  return rest;
}

function withoutRequired(schema: JsonSchema): JsonSchema {
  const { required: _required, ...rest } = schema;
  return rest;
}
