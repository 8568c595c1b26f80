/** Builds the console when dist/ is missing or older than its sources; true when a build ran. */
export function ensureConsoleBuilt(): boolean;
