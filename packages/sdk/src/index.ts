export { SwitchboardClient, type ClientOptions } from './client.ts';
export { SwitchboardError, type ProblemBody } from './problem.ts';
export type * from './types.ts';
