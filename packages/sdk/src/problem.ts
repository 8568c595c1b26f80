/** An RFC 9457 problem returned by the Switchboard API, as a throwable error. */
export interface ProblemBody {
  type?: string;
  title?: string;
  status: number;
  detail?: string;
  code: string;
  requestId?: string;
  errors?: { path: string; message: string; rule?: string }[];
  [extension: string]: unknown;
}

export class SwitchboardError extends Error {
  override name = 'SwitchboardError';
  constructor(readonly problem: ProblemBody) {
    super(problem.detail ?? problem.title ?? problem.code);
  }
  get status(): number {
    return this.problem.status;
  }
  get code(): string {
    return this.problem.code;
  }
}
