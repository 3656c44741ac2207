import { type GatewayOutcome, type GatewaySession, GatewayTransportError } from '../gateway';
import { Secret } from '../gateway/secret';
import type { Job, QcOperation } from '../queue/jobs';
import type { InspectorLink, MonitoringRecord, SessionRecord } from '../store/types';
import { isMonitoringMode, modeAfter } from './monitoring';
import { clearTarget, updateMonitoring } from './monitoring-record';
import { auditOutcome, type QcOutcome } from './outcome';
import type { QcDeps } from './ports';

type QcJob = Extract<Job, { kind: 'qc' }>;

/** A thread whose result is being posted: events wait for it this long before going to the DM. */
export const AWAIT_THREAD_MS = 15_000;

export function gatewaySession(session: SessionRecord): GatewaySession {
  return {
    agentId: session.inspectorId,
    guid: new Secret(session.guid),
    ...(session.cookie ? { cookie: session.cookie } : {}),
  };
}

/**
 * Run one QC request from the queue: preconditions (link, session, monitoring check), at most one
 * gateway call, monitoring state, result in Slack, audit row. The idempotency claim happens in
 * the caller (worker) before this runs.
 */
export async function runQc(deps: QcDeps, job: QcJob, loaded?: Promise<QcState>): Promise<QcOutcome> {
  const { store, notifier } = deps;
  const started = deps.now();
  const { link, session, monitoring } = await (loaded ?? loadQcState(deps, job));
  if (!link) return refuse(deps, job, { kind: 'not-linked' });
  const inspectorId = link.inspectorId;
  if (session?.status !== 'active' || session.teamId !== job.slack.teamId || !session.guid) {
    return refuse(deps, job, {
      kind: 'no-session',
      inspectorId,
      ...(session?.endedReason ? { reason: session.endedReason } : {}),
    });
  }
  const plan = planCall(job.op, job.agentId, monitoring);
  if ('refusal' in plan) return refuse(deps, job, plan.refusal);

  await markAwaiting(deps, inspectorId, job.slack.teamId, monitoring);

  let outcome: QcOutcome;
  try {
    const result: GatewayOutcome = await plan.call(deps, gatewaySession(session));
    outcome = {
      kind: 'gateway',
      op: job.op,
      call: result.operation,
      agentId: job.agentId,
      inspectorId,
      ok: result.ok,
      retcode: result.retcode,
      ...(result.ok ? {} : { explanation: result.explanation }),
      latencyMs: result.latencyMs,
    };
    if (!result.ok && result.explanation.sessionEnded) {
      await store.endSession(
        inspectorId,
        session.sessionId,
        `gateway ${result.retcode} on ${result.operation}`,
        deps.now(),
      );
    }
  } catch (err) {
    if (!(err instanceof GatewayTransportError)) throw err;
    outcome = { kind: 'transport', op: job.op, agentId: job.agentId, inspectorId, error: err };
  }

  const thread = await notifier.report(job.slack, outcome);
  await settleMonitoring(deps, { inspectorId, teamId: job.slack.teamId, job, outcome, thread });
  await audit(deps, job, outcome, inspectorId, deps.now() - started, thread);
  return outcome;
}

export interface QcState {
  link: InspectorLink | undefined;
  session: SessionRecord | undefined;
  monitoring: MonitoringRecord | undefined;
}

/**
 * The three records a QC request needs, read at once: the job names the inspector the ack path
 * saw, so the session and monitoring reads need not wait for the link read. If the user was
 * relinked meanwhile, the records of the link's inspector are read again.
 */
export async function loadQcState(deps: Pick<QcDeps, 'store'>, job: QcJob): Promise<QcState> {
  const { store } = deps;
  const [link, session, monitoring] = await Promise.all([
    store.getLink(job.slack.teamId, job.slack.userId),
    store.getSession(job.inspectorId),
    store.getMonitoring(job.inspectorId),
  ]);
  if (!link || link.inspectorId === job.inspectorId) return { link, session, monitoring };
  const [s, m] = await Promise.all([
    store.getSession(link.inspectorId),
    store.getMonitoring(link.inspectorId),
  ]);
  return { link, session: s, monitoring: m };
}

type Plan = { call: (deps: QcDeps, s: GatewaySession) => Promise<GatewayOutcome> } | { refusal: QcOutcome };

/** The monitoring check: which gateway call (if any) this request means, given what we know. */
export function planCall(op: QcOperation, agentId: string, monitoring: MonitoringRecord | undefined): Plan {
  const currentMode = monitoring?.mode;
  const current =
    monitoring?.agentId && currentMode
      ? {
          agentId: monitoring.agentId,
          mode: currentMode,
          ...(monitoring.since ? { since: monitoring.since } : {}),
        }
      : undefined;
  const onThisAgent = current?.agentId === agentId;
  if (current?.mode === 'intercept' && op !== 'stop') {
    return { refusal: { kind: 'intercepting', op, agentId: current.agentId } };
  }
  switch (op) {
    case 'intercept':
      if (!current || !onThisAgent || !isMonitoringMode(current.mode)) {
        return { refusal: { kind: 'not-monitoring', op, agentId, ...(current ? { current } : {}) } };
      }
      return { call: (d, s) => d.gateway.intercept(s, agentId) };
    case 'listen':
    case 'insert':
    case 'whisper': {
      if (current && !onThisAgent) return { refusal: { kind: 'monitoring-other', op, agentId, current } };
      if (current && current.mode === op) return { refusal: { kind: 'already', op, agentId, mode: op } };
      if (current && isMonitoringMode(current.mode)) {
        // Already on this agent in another mode: switch instead of starting again.
        return {
          call: (d, s) =>
            (current.mode === 'listen' && op === 'insert') || (current.mode === 'insert' && op === 'listen')
              ? d.gateway.switchListenInsert(s, agentId)
              : d.gateway.switchMode(s, agentId, op),
        };
      }
      return { call: (d, s) => d.gateway.qc(op, s, agentId) };
    }
    case 'stop':
      if (current?.mode === 'intercept')
        return { refusal: { kind: 'intercepting', op, agentId: current.agentId } };
      if (current && !onThisAgent) return { refusal: { kind: 'monitoring-other', op, agentId, current } };
      // Our state may be stale (events missed): without a record we still ask the gateway.
      return {
        call: (d, s) =>
          current?.mode === 'whisper'
            ? d.gateway.stopWhisper(s, agentId)
            : d.gateway.cancelMonitor(s, agentId),
      };
  }
}

async function refuse(deps: QcDeps, job: QcJob, outcome: QcOutcome): Promise<QcOutcome> {
  await deps.notifier.report(job.slack, outcome);
  await audit(deps, job, outcome, outcome.kind === 'no-session' ? outcome.inspectorId : undefined, 0, null);
  return outcome;
}

/** Mark "a result is on its way" so the keeper holds this operation's events for its thread. */
async function markAwaiting(
  deps: QcDeps,
  inspectorId: string,
  teamId: string,
  current: MonitoringRecord | undefined,
) {
  // One attempt: if the keeper wrote meanwhile, its events go to the previous thread; nothing is lost.
  await updateMonitoring(
    deps,
    { inspectorId, teamId },
    (draft) => {
      draft.awaitingThreadSince = deps.now();
    },
    { attempts: 1, first: current },
  );
}

/** Write the state the operation left, on top of whatever the keeper wrote meanwhile (versioned). */
async function settleMonitoring(
  deps: QcDeps,
  a: {
    inspectorId: string;
    teamId: string;
    job: QcJob;
    outcome: QcOutcome;
    thread: MonitoringRecord['thread'] | null;
  },
): Promise<void> {
  const settled = await updateMonitoring(deps, a, (draft) => {
    delete draft.awaitingThreadSince;
    if (a.outcome.kind === 'gateway' && a.outcome.ok) {
      const mode = modeAfter(a.job.op);
      if (mode) {
        const sameAgent = draft.agentId === a.job.agentId;
        draft.since = sameAgent && draft.since ? draft.since : deps.now();
        draft.confirmed = sameAgent && mode !== 'intercept' ? draft.confirmed : false;
        draft.busySeen = sameAgent ? (draft.busySeen ?? false) : false;
        draft.agentId = a.job.agentId;
        draft.mode = mode;
      } else {
        clearTarget(draft);
      }
    }
    if (a.thread) {
      draft.thread = a.thread;
      delete draft.reply; // a new result message starts a new folded reply
    }
  });
  if (!settled)
    deps.logger.warn({ inspector: a.inspectorId }, 'monitoring state kept changing; left as the events say');
}

async function audit(
  deps: QcDeps,
  job: QcJob,
  outcome: QcOutcome,
  inspectorId: string | undefined,
  latencyMs: number,
  thread: MonitoringRecord['thread'] | null,
): Promise<void> {
  try {
    await deps.store.record({
      teamId: job.slack.teamId,
      userId: job.slack.userId,
      ...(inspectorId ? { inspectorId } : {}),
      agentId: job.agentId,
      operation: job.op,
      outcome: auditOutcome(outcome),
      latencyMs: Math.round(latencyMs),
      channel: thread?.channel ?? job.slack.channelId,
      ...(thread ? { messageTs: thread.ts } : {}),
      at: deps.now(),
    });
  } catch (err) {
    // An audit write must not turn a done operation into a failed one; it is logged loudly.
    deps.logger.error({ op: job.op, error: (err as Error).name }, 'audit row could not be written');
  }
}
