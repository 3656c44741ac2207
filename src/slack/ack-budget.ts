/**
 * Slack's 3-second budget for the ack path. Slack shows `operation_timeout` when the HTTP answer to a
 * slash command or a click takes longer than 3 s, and a trigger_id (for views.open) expires after about
 * 3 s. On Lambda the answer leaves only when the listener returns (docs/slack-app.md), so a Web API
 * call made before the ack (views.open, a Home-tab click's DM) is bounded here: the listener stops
 * waiting at ACK_DEADLINE_MS after the request arrived, whatever the Web API client is still doing.
 */

/** Slack's limit for the HTTP answer, and a trigger_id's life. */
export const SLACK_ACK_MS = 3_000;
/** The listener stops waiting for the Web API this long after the request arrived (the rest is for the trip back). */
export const ACK_DEADLINE_MS = 2_500;
/** A call that never reached Slack is tried once more only if this much time remains. */
export const RETRY_MIN_MS = 750;

export class AckDeadlineError extends Error {
  override name = 'AckDeadlineError';
}

/** When the request arrived: `context.receivedAt` (app.ts stamps it), else now. */
export function receivedAtOf(context: Record<string, unknown> | undefined, now: () => number): number {
  const at = context?.receivedAt;
  return typeof at === 'number' && Number.isFinite(at) ? at : now();
}

/** The instant the ack path stops waiting for Slack's Web API. */
export const ackDeadline = (receivedAt: number) => receivedAt + ACK_DEADLINE_MS;

/** `p`, or AckDeadlineError once `ms` have passed (p keeps running; its outcome is then ignored). */
function raceDeadline<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new AckDeadlineError(`${what}: no answer before the ack deadline`)), ms);
  });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

/** The call failed before Slack answered (network, the client's own timeout): safe to try again. */
const neverAnswered = (err: unknown) => (err as { code?: unknown }).code === 'slack_webapi_request_error';

/**
 * Runs a Web API call of the ack path and stops waiting at `deadline` (AckDeadlineError). A call that
 * never got Slack's answer is tried once more if RETRY_MIN_MS remain; an answer from Slack (ok: false,
 * an HTTP error, a rate limit) is not retried.
 */
export async function beforeDeadline<T>(
  deadline: number,
  now: () => number,
  what: string,
  call: () => Promise<T>,
): Promise<T> {
  const left = () => deadline - now();
  if (left() <= 0) throw new AckDeadlineError(`${what}: the ack deadline had passed`);
  try {
    return await raceDeadline(call(), left(), what);
  } catch (err) {
    if (!neverAnswered(err) || left() < RETRY_MIN_MS) throw err;
    return await raceDeadline(call(), left(), what);
  }
}
