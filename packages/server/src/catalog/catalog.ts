import { Catalog, loadBuiltInConnectors } from '@switchboard/catalog';

/** The service's catalog: the built-in connectors, validated at start (a broken definition stops the start). */
export function loadCatalog(): Catalog {
  return new Catalog(loadBuiltInConnectors());
}
