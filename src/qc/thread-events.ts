import type { MonitoringRecord, PendingEvent, SessionRecord } from '../store/types';
import { describeEvent, type EventEffect } from './event-lines';
import { clearTarget, updateMonitoring } from './monitoring-record';
import type { QcDeps } from './ports';
import { AWAIT_THREAD_MS } from './run-qc';

/** Events that arrive within this window of the last reply are folded into it (chat.update). */
export const FOLD_MS = 10_000;
const MAX_LINES_PER_REPLY = 12;

export type FlushResult = 'done' | 'waiting' | 'session-ended';

/**
 * Turn an inspector's pending events into thread replies, in order, each once: the monitoring
 * record remembers the last sequence folded into the current reply. A Slack failure (e.g. 429)
 * leaves the event pending for the next round.
 */
export async function flushPendingEvents(deps: QcDeps, session: SessionRecord): Promise<FlushResult> {
  const pending = await deps.store.listPending(session.inspectorId, session.sessionId);
  let result: FlushResult = 'done';
  for (const ev of pending) {
    const monitoring = await deps.store.getMonitoring(session.inspectorId);
    if (monitoring?.awaitingThreadSince && deps.now() - monitoring.awaitingThreadSince < AWAIT_THREAD_MS)
      return 'waiting';
    if ((monitoring?.reply?.lastSeq ?? 0) >= ev.seq && monitoring?.reply?.sessionId === session.sessionId) {
      await deps.store.markPosted(session.inspectorId, session.sessionId, ev.seq);
      continue;
    }
    const effect = describeEvent(ev.event, monitoring);
    await applyEvent(deps, session, ev, monitoring, effect);
    await deps.store.markPosted(session.inspectorId, session.sessionId, ev.seq);
    if (effect.state === 'ended') result = 'session-ended';
  }
  return result;
}

/** True when a QC operation changed the record between the event's read and this write. */
export function operationSince(
  read: MonitoringRecord | undefined,
  now: Omit<MonitoringRecord, 'version'>,
): boolean {
  return (
    now.awaitingThreadSince !== read?.awaitingThreadSince ||
    now.agentId !== read?.agentId ||
    now.mode !== read?.mode ||
    now.thread?.ts !== read?.thread?.ts
  );
}

async function applyEvent(
  deps: QcDeps,
  session: SessionRecord,
  ev: PendingEvent,
  monitoring: MonitoringRecord | undefined,
  effect: EventEffect,
): Promise<void> {
  // Post (or fold into the current reply) once; the state write below may be retried, the post not.
  let posted: { ts: string; lines: string[] } | undefined;
  if (effect.line) {
    const reply = monitoring?.reply;
    const fold =
      reply &&
      reply.sessionId === session.sessionId &&
      deps.now() - reply.at < FOLD_MS &&
      reply.lines.length < MAX_LINES_PER_REPLY;
    const lines = fold ? [...reply.lines, effect.line] : [effect.line];
    const target = {
      teamId: session.teamId,
      userId: session.userId,
      ...(monitoring?.thread ? { thread: monitoring.thread } : {}),
    };
    posted = { ts: await deps.notifier.threadReply(target, lines, fold ? reply.ts : undefined), lines };
  }
  const applied = await updateMonitoring(
    deps,
    session,
    (draft) => {
      // Written meanwhile by a QC operation (the worker marked "awaiting thread" or set a new
      // target or thread)? Then this event describes the state before that operation: the line is
      // posted where it belonged, and the state the operation left stands.
      if (operationSince(monitoring, draft)) return;
      if (posted) {
        draft.reply = {
          ts: posted.ts,
          lines: posted.lines,
          at: deps.now(),
          lastSeq: ev.seq,
          sessionId: session.sessionId,
        };
      } else if (draft.reply) {
        draft.reply = { ...draft.reply, lastSeq: ev.seq, sessionId: session.sessionId };
      }
      if (effect.state === 'busy') draft.busySeen = true;
      if (effect.state === 'confirm') draft.confirmed = true;
      if (effect.state === 'clear' || effect.state === 'ended') clearTarget(draft);
    },
    { first: monitoring },
  );
  if (!applied) {
    deps.logger.warn(
      { inspector: session.inspectorId, seq: ev.seq },
      'monitoring state kept changing while applying an event',
    );
  }
}
