import { randomUUID } from 'node:crypto';
import type { MonitoringRecord, OperationThread, PendingEvent, SessionRecord } from '../store/types';
import { describeEvent, type EventEffect } from './event-lines';
import {
  clearTarget,
  type MonitoringDraft,
  openOperations,
  routeEvent,
  sameOperation,
  updateMonitoring,
} from './monitoring-record';
import { NotifierBusyError } from './notifier-busy';
import type { QcDeps } from './ports';
import { AWAIT_THREAD_MS } from './run-qc';

/** Events that arrive within this window of the last reply are folded into it (chat.update). */
export const FOLD_MS = 10_000;
/** One reply holds at most this many lines; a longer burst of one operation goes on in the next. */
export const MAX_LINES_PER_REPLY = 40;
/** Events applied per monitoring write at most (a run of lines is posted at once). */
const MAX_RUN = 100;
/** How long one flusher has an inspector's pending events to itself (the keeper and a push). */
const FLUSH_CLAIM_MS = 20_000;
/** A flush without a deadline stops after this long (well inside its claim) and says 'more'. */
const DEFAULT_FLUSH_MS = 10_000;

/** 'more': stopped at the deadline with events left (the keeper or the next push goes on). */
export type FlushResult = 'done' | 'waiting' | 'more' | 'session-ended';

/**
 * Turn an inspector's pending events into thread replies, in order, each once: each event goes to
 * the operation that caused it (`routeEvent`), runs of lines of one operation are folded into one
 * reply, and the monitoring record remembers the last sequence applied, so a retry never doubles a
 * line. One flusher at a time (a claim). A Slack failure (e.g. 429) leaves the events pending.
 */
export async function flushPendingEvents(
  deps: QcDeps,
  session: SessionRecord,
  opts: { deadline?: number } = {},
): Promise<FlushResult> {
  const pending = await deps.store.listPending(session.inspectorId, session.sessionId);
  if (pending.length === 0) return 'done';
  const deadline = opts.deadline ?? deps.now() + DEFAULT_FLUSH_MS;
  // Poll mode: only the keeper holding the inspector's lease adds and flushes events. Push mode:
  // a push delivery and the keeper may both try; one at a time.
  if (session.mode !== 'push') return flushRuns(deps, session, pending, deadline);
  const owner = randomUUID();
  if (!(await deps.store.claimTurn(session.inspectorId, 'flush', owner, deps.now(), FLUSH_CLAIM_MS)))
    return 'waiting';
  try {
    return await flushRuns(deps, session, pending, deadline);
  } finally {
    await deps.store.releaseTurn(session.inspectorId, 'flush', owner);
  }
}

async function flushRuns(
  deps: QcDeps,
  session: SessionRecord,
  pending: PendingEvent[],
  deadline: number,
): Promise<FlushResult> {
  let ended = false;
  let i = 0;
  while (i < pending.length) {
    if (deps.now() >= deadline) return ended ? 'session-ended' : 'more';
    const monitoring = await deps.store.getMonitoring(session.inspectorId);
    if (monitoring?.awaitingThreadSince && deps.now() - monitoring.awaitingThreadSince < AWAIT_THREAD_MS)
      return ended ? 'session-ended' : 'waiting';
    const upTo = monitoring?.eventsUpTo?.sessionId === session.sessionId ? monitoring.eventsUpTo.seq : 0;
    const done = pending.slice(i).findIndex((ev) => ev.seq > upTo);
    const start = done < 0 ? pending.length : i + done;
    if (start > i) {
      // Applied before (a retry after a failed delete): only the pending items are left to remove.
      await deps.store.markPostedMany(pending.slice(i, start));
      i = start;
      continue;
    }
    const run = planRun(session, pending.slice(i, i + MAX_RUN), monitoring, deps.now());
    try {
      await postRun(deps, session, run);
    } catch (err) {
      // Slack's rate limit holds this reply past the flush's time: the events stay pending, in order.
      if (err instanceof NotifierBusyError) return ended ? 'session-ended' : 'waiting';
      throw err;
    }
    await writeRun(deps, session, run, monitoring);
    await deps.store.markPostedMany(run.events);
    if (run.ended) ended = true;
    i += run.events.length;
  }
  return ended ? 'session-ended' : 'done';
}

/** A run: consecutive events whose lines go to one operation, and the record they leave. */
interface Run {
  events: PendingEvent[];
  draft: MonitoringDraft & { ops: OperationThread[] };
  /** The operation (index in draft.ops) the lines go to, and the lines. */
  target: number;
  lines: string[];
  ended: boolean;
}

function planRun(
  session: SessionRecord,
  candidates: PendingEvent[],
  monitoring: MonitoringRecord | undefined,
  now: number,
): Run {
  const { version: _version, ...base } = monitoring ?? {
    inspectorId: session.inspectorId,
    teamId: session.teamId,
    confirmed: false,
    version: 0,
  };
  const open = openOperations(base.ops ?? [], now);
  // Nobody asked anything yet (or only long ago): the events go to the DM, folded there too.
  const ops = open.length > 0 ? [...open] : [{ op: 'events', at: now, expects: [] }];
  const run: Run = { events: [], draft: { ...base, ops }, target: -1, lines: [], ended: false };
  for (const ev of candidates) {
    const before = [...ops];
    const at = routeEvent(ops, ev.event.type);
    const effect = describeEvent(ev.event, run.draft, ops[at]);
    // Agents' state notices (beginmonitor) feed the live floors (floor-live.ts), not the thread.
    if (ev.event.type === 'QC_AgentState_Notify') effect.line = null;
    if (effect.line && run.target >= 0 && (at !== run.target || run.lines.length >= MAX_LINES_PER_REPLY)) {
      ops.splice(0, ops.length, ...before); // this event starts the next run
      break;
    }
    run.events.push(ev);
    if (effect.line) {
      run.target = at;
      run.lines.push(effect.line);
    }
    if (effect.state === 'ended') run.ended = true;
    // Only the newest operation's events change the state: an older one's describe what was
    // before the newest, whose result set the state that stands.
    if (at === ops.length - 1) applyState(run.draft, effect.state);
  }
  const last = run.events.at(-1);
  if (last) run.draft.eventsUpTo = { sessionId: session.sessionId, seq: last.seq };
  return run;
}

function applyState(draft: MonitoringDraft, state: EventEffect['state']): void {
  if (state === 'busy') draft.busySeen = true;
  if (state === 'confirm') draft.confirmed = true;
  if (state === 'clear' || state === 'ended') clearTarget(draft);
}

/** Post the run's lines once: folded into the operation's current reply when there is room. */
async function postRun(deps: QcDeps, session: SessionRecord, run: Run): Promise<void> {
  const op = run.draft.ops[run.target];
  if (!op || run.lines.length === 0) return;
  const reply = op.reply;
  const fold =
    reply && deps.now() - reply.at < FOLD_MS && reply.lines.length + run.lines.length <= MAX_LINES_PER_REPLY;
  const lines = fold ? [...reply.lines, ...run.lines] : run.lines;
  const target = {
    teamId: session.teamId,
    userId: session.userId,
    ...(op.thread ? { thread: op.thread } : {}),
  };
  const ts = await deps.notifier.threadReply(target, lines, fold ? reply.ts : undefined);
  run.draft.ops[run.target] = { ...op, reply: { ts, lines, at: deps.now() } };
}

/** True when a QC operation changed the record between the events' read and this write. */
export function operationSince(
  read: MonitoringRecord | undefined,
  now: Omit<MonitoringRecord, 'version'>,
): boolean {
  return (
    now.awaitingThreadSince !== read?.awaitingThreadSince ||
    now.agentId !== read?.agentId ||
    now.mode !== read?.mode ||
    !sameOperation(now.ops?.at(-1), read?.ops?.at(-1))
  );
}

async function writeRun(
  deps: QcDeps,
  session: SessionRecord,
  run: Run,
  monitoring: MonitoringRecord | undefined,
): Promise<void> {
  const applied = await updateMonitoring(
    deps,
    session,
    (draft) => {
      if (run.draft.eventsUpTo) draft.eventsUpTo = run.draft.eventsUpTo;
      // Written meanwhile by a QC operation (the worker marked "awaiting thread" or added an
      // operation)? Then the state it left stands; the operations the run touched keep what they
      // received (expected events, folded reply).
      if (operationSince(monitoring, draft)) {
        draft.ops = (draft.ops ?? []).map((o) => run.draft.ops.find((r) => sameOperation(r, o)) ?? o);
        return;
      }
      Object.assign(draft, run.draft);
      if (!run.draft.agentId) {
        delete draft.agentId;
        delete draft.mode;
        delete draft.since;
      }
    },
    { first: monitoring },
  );
  if (!applied) {
    deps.logger.warn(
      { inspector: session.inspectorId, seq: run.draft.eventsUpTo?.seq },
      'monitoring state kept changing while applying events',
    );
  }
}
