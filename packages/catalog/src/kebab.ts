/**
 * Connector key for a display name: accents dropped, lower-cased, every run of other characters
 * turned into one hyphen. "Microsoft 365" -> microsoft-365, "X (formerly Twitter)" -> x-formerly-twitter.
 * Camel-case words are not split, so "HubSpot" stays hubspot.
 */
export function kebabCase(displayName: string): string {
  return displayName
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}
