/**
 * Slack's 3-second deadlines, as the fake keeps them when asked (`deadlines` option; on in the e2e
 * tests): a trigger_id expires 3 s after it was issued (views.open answers `expired_trigger_id`), and an
 * ack that reaches Slack more than 3 s after the request was sent is late: Slack shows the person
 * `operation_timeout` instead. The fake learns of acks from whoever sent the request (the console, the
 * e2e driver) through `noteAck`, and keeps the late ones so tests can check there were none.
 */
import type { FakeState } from './state';

/** Slack's limit for an ack, and a trigger_id's life. */
export const SLACK_DEADLINE_MS = 3_000;

/** An ack that arrived after Slack's deadline. */
export interface LateAck {
  triggerId: string;
  /** What was answered late ('/qc signin', 'block_actions qc_open_signin', …). */
  what: string;
  user?: string;
  /** From the request's trigger_id being issued to the ack. */
  tookMs: number;
}

export interface DeadlineState {
  /** Undefined: deadlines are not kept (the default). */
  ms: number | undefined;
  lateAcks: LateAck[];
}

/** `true` → Slack's 3 s; a number → that many ms (tests); false/undefined → off. */
export type DeadlineOption = boolean | number | undefined;

export function deadlineMs(option: DeadlineOption): number | undefined {
  if (option === true) return SLACK_DEADLINE_MS;
  return typeof option === 'number' && option > 0 ? option : undefined;
}

/** Whether views.open / views.push must refuse `triggerId` as expired (deadlines on, issued here, too old). */
export function triggerExpired(state: FakeState, triggerId: string): boolean {
  const ms = state.deadlines.ms;
  const issuedAt = state.triggers.get(triggerId)?.issuedAt;
  return ms !== undefined && issuedAt !== undefined && state.store.clock() - issuedAt > ms;
}

/**
 * The app's answer to the request that carried `triggerId` arrived now. Returns (and keeps) a LateAck
 * when deadlines are on and it came after them; undefined otherwise (also for a trigger_id not issued here).
 */
export function noteAck(state: FakeState, triggerId: string, what: string): LateAck | undefined {
  const ms = state.deadlines.ms;
  const trigger = state.triggers.get(triggerId);
  if (ms === undefined || !trigger) return undefined;
  const tookMs = state.store.clock() - trigger.issuedAt;
  if (tookMs <= ms) return undefined;
  const late: LateAck = { triggerId, what, tookMs, ...(trigger.user ? { user: trigger.user } : {}) };
  state.deadlines.lateAcks.push(late);
  return late;
}

/** What Slack shows the person for a late slash-command ack (Slackbot, only to them). */
export const operationTimeout = (command: string, late: LateAck) =>
  `${command} failed with the error "operation_timeout" (the app answered after ${late.tookMs} ms; Slack waits 3 s)`;
