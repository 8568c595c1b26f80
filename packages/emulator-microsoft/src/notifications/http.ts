/**
 * One outbound POST to a subscriber, with a deadline. Whatever goes wrong (refused connection,
 * timeout, the emulator closing) becomes an outcome rather than an exception, so delivery code
 * only has to decide what to log and whether to retry.
 */

export type PostOutcome = { status: number; text: string; durationMs: number } | { error: string; durationMs: number };

export async function postWithDeadline(url: string, body: string, contentType: string, timeoutMs: number, closing: AbortSignal): Promise<PostOutcome> {
  const started = Date.now();
  const deadline = AbortSignal.timeout(timeoutMs);
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': contentType },
      body,
      redirect: 'manual',
      signal: AbortSignal.any([deadline, closing]),
    });
    // The whole answer must arrive in time, body included.
    const text = await res.text();
    return { status: res.status, text, durationMs: Date.now() - started };
  } catch (err) {
    const durationMs = Date.now() - started;
    if (closing.aborted) return { error: 'emulator closed', durationMs };
    if (deadline.aborted) return { error: `no answer within ${timeoutMs} ms`, durationMs };
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    return { error: cause?.code ?? cause?.message ?? (err as Error).message, durationMs };
  }
}
