/**
 * Input errors raised by the shared readers that also carry the code Graph uses for the same
 * mistake. The admin API shows them as ordinary 400s; Graph routes answer with `graphCode`.
 */
import { InputError } from '../input.ts';

export class CodedInputError extends InputError {
  constructor(
    message: string,
    readonly graphCode: string,
    /** What Graph says; defaults to the admin message. */
    readonly graphMessage: string = message,
  ) {
    super(message);
    this.name = 'CodedInputError';
  }
}
