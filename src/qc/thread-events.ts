import { ConflictError, type MonitoringRecord, type PendingEvent, type SessionRecord } from '../store/types';
import { describeEvent } from './event-lines';
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
    const effect = describeEvent({ ...ev.event, content: ev.event.content }, monitoring);
    await applyEvent(deps, session, ev, monitoring, effect.line, effect.state);
    await deps.store.markPosted(session.inspectorId, session.sessionId, ev.seq);
    if (effect.state === 'ended') result = 'session-ended';
  }
  return result;
}

async function applyEvent(
  deps: QcDeps,
  session: SessionRecord,
  ev: PendingEvent,
  first: MonitoringRecord | undefined,
  line: string | null,
  state: 'confirm' | 'clear' | 'ended' | 'busy' | undefined,
): Promise<void> {
  let monitoring = first;
  let posted: { ts: string; lines: string[] } | undefined;
  for (let attempt = 0; attempt < 3; attempt++) {
    const empty: MonitoringRecord = {
      inspectorId: session.inspectorId,
      teamId: session.teamId,
      confirmed: false,
      version: 0,
    };
    const { version, ...next } = monitoring ?? empty;
    const now = deps.now();
    if (line && !posted) {
      const reply = next.reply;
      const fold =
        reply &&
        reply.sessionId === session.sessionId &&
        now - reply.at < FOLD_MS &&
        reply.lines.length < MAX_LINES_PER_REPLY;
      const lines = fold ? [...reply.lines, line] : [line];
      const target = {
        teamId: session.teamId,
        userId: session.userId,
        ...(next.thread ? { thread: next.thread } : {}),
      };
      const ts = await deps.notifier.threadReply(target, lines, fold ? reply.ts : undefined);
      posted = { ts, lines };
    }
    if (posted)
      next.reply = {
        ts: posted.ts,
        lines: posted.lines,
        at: now,
        lastSeq: ev.seq,
        sessionId: session.sessionId,
      };
    else if (next.reply) next.reply = { ...next.reply, lastSeq: ev.seq, sessionId: session.sessionId };
    if (state === 'busy') next.busySeen = true;
    if (state === 'confirm') next.confirmed = true;
    if (state === 'clear' || state === 'ended') {
      delete next.agentId;
      delete next.mode;
      delete next.since;
      next.confirmed = false;
      next.busySeen = false;
    }
    try {
      await deps.store.putMonitoring(next, version);
      return;
    } catch (err) {
      if (!(err instanceof ConflictError)) throw err;
      monitoring = await deps.store.getMonitoring(session.inspectorId);
    }
  }
  deps.logger.warn(
    { inspector: session.inspectorId, seq: ev.seq },
    'monitoring state kept changing while applying an event',
  );
}
