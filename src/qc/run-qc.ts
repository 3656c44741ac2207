import { errorSummary } from '../errors';
import { type GatewayOutcome, type GatewaySession, GatewayTransportError } from '../gateway';
import { Secret } from '../gateway/secret';
import type { Job } from '../queue/jobs';
import type { InspectorLink, MonitoringRecord, SessionRecord, ThreadRef } from '../store/types';
import { alertFor, claimIntercept, recordOnAlert } from './alert-actions';
import type { QcAction, QcOperation, SlackContext } from './model';
import { effectOf, isMonitoringMode } from './monitoring';
import { addOperation, clearTarget, type MonitoringDraft, updateMonitoring } from './monitoring-record';
import { auditOutcome, type QcOutcome } from './outcome';
import { effectivePermissions, permissionFor } from './permissions';
import type { QcDeps, QcPolicy } from './ports';
import { adoptSessionChanges, confirmSessionGone, unconfirmedExplanation } from './session-changes';

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
 * Run one QC request from the queue: preconditions (link, permission, session, alert, monitoring
 * check), at most one gateway call, monitoring state, result in Slack, audit row. The idempotency
 * claim happens in the caller (worker) before this runs.
 */
export async function runQc(
  deps: QcDeps & QcPolicy,
  job: QcJob,
  loaded?: Promise<QcState>,
): Promise<QcOutcome> {
  const { notifier } = deps;
  const started = deps.now();
  const { link, session, monitoring } = await (loaded ?? loadQcState(deps, job));
  const admitted = admit(deps, job, link, session);
  if ('refusal' in admitted) return refuse(deps, job, admitted.refusal, admitted.inspectorId);
  const { inspectorId } = admitted;
  const alert = job.alertId ? await alertFor(deps, job) : undefined;
  if (job.alertId && !alert) return refuse(deps, job, { kind: 'alert-gone' }, inspectorId);
  // Someone else took this alert's call over: only Stop still makes sense for the others.
  const takenBy = alert?.interceptedBy;
  if (takenBy && takenBy.userId !== job.slack.userId && job.op !== 'stop')
    return refuse(
      deps,
      job,
      { kind: 'already-intercepted', agentId: job.agentId, by: takenBy.userId, at: takenBy.at },
      inspectorId,
    );
  const plan = planCall(job.op, job.agentId, monitoring);
  if ('refusal' in plan) return refuse(deps, job, withPhone(plan.refusal, admitted.session), inspectorId);
  const claimed =
    alert && job.op === 'intercept' ? await claimIntercept(deps, alert, job, inspectorId) : alert;
  if (claimed && 'refusal' in claimed) return refuse(deps, job, claimed.refusal, inspectorId);

  const changesMonitoring = effectOf(job.op) !== 'unchanged';
  if (changesMonitoring) await markAwaiting(deps, inspectorId, job.slack.teamId, monitoring);

  const outcome = await callGateway(deps, job, admitted.session, (s) => plan.call(deps, s));

  // A deleted alert message has no visible thread any more: such results go to the channel.
  const alertThread =
    claimed && !claimed.messageGone ? { channel: claimed.channel, ts: claimed.ts } : undefined;
  const thread = await notifier.report(job.slack, outcome, alertThread ? { thread: alertThread } : {});
  if (changesMonitoring)
    await settleMonitoring(deps, { inspectorId, teamId: job.slack.teamId, job, outcome, thread });
  if (claimed) await recordOnAlert(deps, claimed, job, inspectorId, outcome);
  await audit(deps, job, outcome, inspectorId, deps.now() - started, thread);
  return outcome;
}

/**
 * The one gateway call of a request, as an outcome: the retcode (a `100-006`-like code also ends
 * our session record, so the next request says "sign in"), or the transport failure in words.
 */
export async function callGateway(
  deps: QcDeps,
  req: QcRequest,
  session: SessionRecord,
  call: (s: GatewaySession) => Promise<GatewayOutcome>,
): Promise<QcOutcome> {
  const inspectorId = session.inspectorId;
  try {
    const result = await call(gatewaySession(session));
    const current = await adoptSessionChanges(deps, session, result);
    if (!result.ok && result.explanation.sessionEnded && current) {
      const verdict = await confirmSessionGone(deps, gatewaySession(current));
      if (verdict === 'gone') {
        await deps.store.endSession(
          inspectorId,
          session.sessionId,
          `gateway ${result.retcode} on ${result.operation}`,
          deps.now(),
        );
      } else {
        result.explanation = unconfirmedExplanation(result.explanation, verdict);
      }
    }
    return {
      kind: 'gateway',
      op: req.op,
      call: result.operation,
      agentId: targetOf(req),
      inspectorId,
      ok: result.ok,
      retcode: result.retcode,
      ...(result.ok ? {} : { explanation: result.explanation }),
      latencyMs: result.latencyMs,
    };
  } catch (err) {
    if (!(err instanceof GatewayTransportError)) throw err;
    return { kind: 'transport', op: req.op, agentId: targetOf(req), inspectorId, error: err };
  }
}

/** Who asks: a Slack user of a team. */
export interface Requester {
  teamId: string;
  userId: string;
}

/**
 * A gateway session serves only the Slack user who signed it in (team and user). Whoever is linked
 * to the inspector now, nobody else may drive that session: they sign in themselves.
 */
export function ownsSession(session: SessionRecord | undefined, who: Requester): boolean {
  return session !== undefined && session.teamId === who.teamId && session.userId === who.userId;
}

/** A session the gateway should still accept, signed in by this very Slack user. */
export function isUsableSession(session: SessionRecord | undefined, who: Requester): boolean {
  return session?.status === 'active' && ownsSession(session, who) && Boolean(session.guid);
}

/** What every gateway request passes first: linked, allowed to do this, signed in by this very user. */
export function admit(
  policy: QcPolicy,
  req: QcRequest,
  link: InspectorLink | undefined,
  session: SessionRecord | undefined,
): { refusal: QcOutcome; inspectorId?: string } | { inspectorId: string; session: SessionRecord } {
  if (!link) return { refusal: { kind: 'not-linked' } };
  const inspectorId = link.inspectorId;
  const denied = permissionRefusal(policy, link, req.op, targetOf(req));
  if (denied) return { refusal: denied, inspectorId };
  if (session && isUsableSession(session, req.slack)) return { inspectorId, session };
  return { refusal: noSession(inspectorId, session, req.slack), inspectorId };
}

/** "Sign in first": with why the requester's own last session ended (someone else's is none of their business). */
export function noSession(
  inspectorId: string,
  session: SessionRecord | undefined,
  who: Requester,
): QcOutcome {
  const reason = ownsSession(session, who) ? session?.endedReason : undefined;
  return { kind: 'no-session', inspectorId, ...(reason ? { reason } : {}) };
}

/** A refusal when the inspector lacks the permission the operation needs (checked before the gateway). */
export function permissionRefusal(
  policy: QcPolicy,
  link: InspectorLink,
  op: QcAction,
  target: string,
): QcOutcome | undefined {
  const need = permissionFor(op);
  if (!need || effectivePermissions(link.permissions, policy.defaultPermissions).includes(need))
    return undefined;
  return { kind: 'not-allowed', op, agentId: target, permission: need, admins: [...policy.adminUserIds] };
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
  // Force operations act on the agent, not on the inspector's monitoring: no monitoring check.
  switch (op) {
    case 'force-busy':
      return { call: (d, s) => d.gateway.forceBusy(s, agentId) };
    case 'force-idle':
      return { call: (d, s) => d.gateway.forceIdle(s, agentId) };
    case 'force-signout':
      return { call: (d, s) => d.gateway.forceSignOutAgent(s, agentId) };
    default:
      break;
  }
  if (current?.mode === 'intercept') {
    return { refusal: { kind: 'intercepting', op, agentId: current.agentId } };
  }
  switch (op) {
    case 'intercept':
      if (current && !onThisAgent) return { refusal: { kind: 'monitoring-other', op, agentId, current } };
      if (!current || !isMonitoringMode(current.mode)) {
        return { refusal: { kind: 'not-monitoring', op, agentId, ...(current ? { current } : {}) } };
      }
      return { call: (d, s) => d.gateway.intercept(s, agentId) };
    case 'listen':
    case 'insert':
    case 'whisper':
      if (current && !onThisAgent) return { refusal: { kind: 'monitoring-other', op, agentId, current } };
      if (current && current.mode === op) return { refusal: { kind: 'already', op, agentId, mode: op } };
      // Already on this agent in another mode: switch instead of starting again.
      if (current && isMonitoringMode(current.mode)) return { call: switchCall(current.mode, op, agentId) };
      return { call: (d, s) => d.gateway.qc(op, s, agentId) };
    case 'switch-listen':
    case 'switch-insert':
    case 'switch-whisper': {
      const target = op === 'switch-listen' ? 'listen' : op === 'switch-insert' ? 'insert' : 'whisper';
      if (current && !onThisAgent) return { refusal: { kind: 'monitoring-other', op, agentId, current } };
      if (!current || !isMonitoringMode(current.mode))
        return { refusal: { kind: 'not-monitoring', op, agentId } };
      if (current.mode === target) return { refusal: { kind: 'already', op, agentId, mode: target } };
      return { call: switchCall(current.mode, target, agentId) };
    }
    case 'stop-whisper':
      if (current && !onThisAgent) return { refusal: { kind: 'monitoring-other', op, agentId, current } };
      if (current && current.mode !== 'whisper')
        return { refusal: { kind: 'wrong-mode', op, agentId, current } };
      return { call: (d, s) => d.gateway.stopWhisper(s, agentId) };
    default:
      // stop. Our state may be stale (events missed): without a record we still ask the gateway.
      if (current && !onThisAgent) return { refusal: { kind: 'monitoring-other', op, agentId, current } };
      return {
        call: (d, s) =>
          current?.mode === 'whisper'
            ? d.gateway.stopWhisper(s, agentId)
            : d.gateway.cancelMonitor(s, agentId),
      };
  }
}

/** listen ⇄ insert has its own interface; every other change goes through the switch-type one. */
function switchCall(
  from: 'listen' | 'insert' | 'whisper',
  to: 'listen' | 'insert' | 'whisper',
  agentId: string,
): (deps: QcDeps, s: GatewaySession) => Promise<GatewayOutcome> {
  return (d, s) =>
    (from === 'listen' && to === 'insert') || (from === 'insert' && to === 'listen')
      ? d.gateway.switchListenInsert(s, agentId)
      : d.gateway.switchMode(s, agentId, to);
}

/**
 * What refusals and audit rows need to know of a request: a QC job on an agent, or a release-call
 * on a call (by its call ID).
 */
export type QcRequest = { slack: SlackContext } & (
  | { op: QcOperation; agentId: string }
  | { op: 'release-call'; callId: string }
);

/** What the request acts on: the agent ID, or release-call's call ID (outcomes and audit rows say it). */
export function targetOf(req: QcRequest): string {
  return req.op === 'release-call' ? req.callId : req.agentId;
}

export async function refuse(
  deps: QcDeps,
  job: QcRequest,
  outcome: QcOutcome,
  inspectorId?: string,
): Promise<QcOutcome> {
  await deps.notifier.report(job.slack, outcome);
  await audit(deps, job, outcome, outcome.kind === 'no-session' ? outcome.inspectorId : inspectorId, 0, null);
  return outcome;
}

/** A not-monitoring refusal offers a take-over, whose confirm names the phone that will ring. */
function withPhone(refusal: QcOutcome, session: SessionRecord): QcOutcome {
  return refusal.kind === 'not-monitoring' && session.phone ? { ...refusal, phone: session.phone } : refusal;
}

/** Mark "a result is on its way" so the keeper holds this operation's events for its thread. */
export async function markAwaiting(
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

/**
 * Retcodes that refuse a stop because there is nothing to stop: a state error (the inspector is not
 * listening, inserting or whispering) or no such agent. Our record then only remembers missed events:
 * it is cleared, or it would refuse every next request with "stop that first".
 */
const NOTHING_TO_STOP = new Set(['900-004', '900-005']);

function notMonitoring(
  a: { job: { op: QcOperation; agentId: string }; outcome: QcOutcome },
  draft: { agentId?: string },
): boolean {
  return (
    effectOf(a.job.op) === 'none' &&
    a.outcome.kind === 'gateway' &&
    !a.outcome.ok &&
    NOTHING_TO_STOP.has(a.outcome.retcode) &&
    draft.agentId === a.job.agentId
  );
}

/**
 * Write the state the operation left, on top of whatever the keeper wrote meanwhile (versioned).
 * `also` changes the same write (a take-over stores or clears its pending step with it).
 */
export async function settleMonitoring(
  deps: QcDeps,
  a: {
    inspectorId: string;
    teamId: string;
    job: { op: QcOperation; agentId: string };
    outcome: QcOutcome;
    thread: ThreadRef | null;
    also?: (draft: MonitoringDraft) => void;
  },
): Promise<void> {
  const settled = await updateMonitoring(deps, a, (draft) => {
    delete draft.awaitingThreadSince;
    a.also?.(draft);
    const effect = effectOf(a.job.op);
    if (notMonitoring(a, draft)) clearTarget(draft);
    else if (a.outcome.kind === 'gateway' && a.outcome.ok && effect !== 'unchanged') {
      if (effect !== 'none') {
        const mode = effect.mode;
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
    // A new result message: the operation's events go in its thread (docs/architecture.md). A
    // result that could not go in a channel was shown to the requester alone: its events go to
    // their DM, not to an older operation's thread.
    addOperation(draft, {
      op: a.job.op,
      at: deps.now(),
      ...(a.thread ? { thread: a.thread } : {}),
      agentId: a.job.agentId,
      ...(effect !== 'none' && effect !== 'unchanged' ? { mode: effect.mode } : {}),
      ...(a.outcome.kind === 'gateway' && a.outcome.ok ? { call: a.outcome.call } : {}),
    });
  });
  if (!settled)
    deps.logger.warn({ inspector: a.inspectorId }, 'monitoring state kept changing; left as the events say');
}

export async function audit(
  deps: QcDeps,
  job: QcRequest,
  outcome: QcOutcome,
  inspectorId: string | undefined,
  latencyMs: number,
  thread: ThreadRef | null,
): Promise<void> {
  try {
    await deps.store.record({
      teamId: job.slack.teamId,
      userId: job.slack.userId,
      ...(inspectorId ? { inspectorId } : {}),
      agentId: targetOf(job),
      operation: job.op,
      outcome: auditOutcome(outcome),
      latencyMs: Math.round(latencyMs),
      channel: thread?.channel ?? job.slack.channelId,
      ...(thread ? { messageTs: thread.ts } : {}),
      at: deps.now(),
    });
  } catch (err) {
    // An audit write must not turn a done operation into a failed one; it is logged loudly.
    deps.logger.error({ op: job.op, err: errorSummary(err) }, 'audit row could not be written');
  }
}
