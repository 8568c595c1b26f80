// @switchboard/catalog: the connector definition format, its validator and the built-in catalogue.
export * from './types.ts';
export { connectorSchema, connectorSchemaUrl } from './schema.ts';
export { validateConnector, assertValidConnector } from './validate.ts';
export { ConnectorDefinitionError, formatValidationError } from './errors.ts';
export { loadConnector, loadConnectorDirectory, loadBuiltInConnectors, builtInConnectorsDir } from './load.ts';
export { Catalog, publicView, summarize, type ListFilter, type ConnectorSummary } from './catalog.ts';
export { kebabCase } from './kebab.ts';
export { parseTemplate, templateVariables, renderTemplate, TemplateSyntaxError, TemplateValueError, type TemplatePart, type RenderOptions } from './template.ts';
export { connectionScope, operationScope, render, type TemplateScope } from './scope.ts';
export { readPointer, pointerJoin, escapeToken } from './pointer.ts';
export { credentialFields, type CredentialField } from './credentials.ts';
export { connectionFields, resolveConnectionValues, requestedScopes, qualifiedScopes, conditionHolds, type FieldProblem } from './connection-form.ts';
export { findAuthType, defaultAuthType, isOAuth2, scopesOf, isSecret } from './definition.ts';
