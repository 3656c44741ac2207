import { errorSummary } from '../errors';
import type { Job } from '../queue/jobs';
import {
  ConflictError,
  type MonitoringRecord,
  type PendingTakeover,
  type SessionRecord,
  type ThreadRef,
} from '../store/types';
import { agentMonitors, recordOnAlert, releaseIntercept } from './alert-actions';
import type { QcOperation } from './model';
import { isMonitoringMode } from './monitoring';
import type { QcOutcome, TakeoverStep } from './outcome';
import type { QcDeps } from './ports';
import { audit, callGateway, settleMonitoring } from './run-qc';

/** A claimed step that has not finished after this long belongs to a keeper that stopped. */
export const STALE_STEP_MS = 60_000;

/**
 * What a pending take-over needs now: `wait` (phone not answered yet, or a step running), `intercept`
 * (the phone answered: the monitoring is confirmed), `abandon` (the wait ran out), `lost` (no longer
 * listening to the agent: someone else took the call, or it ended), `stale` (a claimed step never
 * finished), `drop` (moot: another session, or the inspector intercepted by hand).
 */
export type TakeoverDecision = 'wait' | 'intercept' | 'abandon' | 'lost' | 'stale' | 'drop';

export function decideTakeover(
  rec: Pick<MonitoringRecord, 'agentId' | 'mode' | 'confirmed'>,
  t: PendingTakeover,
  sessionId: string,
  now: number,
): TakeoverDecision {
  if (t.sessionId !== sessionId) return 'drop';
  if (t.claimedAt !== undefined) return now - t.claimedAt > STALE_STEP_MS ? 'stale' : 'wait';
  const onAgent = rec.agentId === t.agentId;
  if (onAgent && rec.mode === 'intercept') return 'drop';
  if (!onAgent || !isMonitoringMode(rec.mode)) return 'lost';
  if (rec.confirmed) return 'intercept';
  return now >= t.deadline ? 'abandon' : 'wait';
}

/**
 * The keeper's hook: the take-over's next step, if any. A failure is logged and the take-over looked
 * at again after the next poll (a claimed step that never finished is reported as unknown).
 */
export async function nextTakeoverStep(deps: QcDeps, session: SessionRecord): Promise<boolean> {
  try {
    return await advanceTakeover(deps, session);
  } catch (err) {
    deps.logger.error({ inspector: session.inspectorId, err: errorSummary(err) }, 'take-over step failed');
    return true;
  }
}

/**
 * The keeper's part of a take-over, after the inspector's events were applied: the next step once,
 * claimed by a versioned write (a second keeper or a retry finds it claimed). Returns true while a
 * take-over is still pending (the keeper looks again after its next poll).
 */
export async function advanceTakeover(deps: QcDeps, session: SessionRecord): Promise<boolean> {
  const rec = await deps.store.getMonitoring(session.inspectorId);
  const t = rec?.takeover;
  if (!rec || !t) return false;
  const decision = decideTakeover(rec, t, session.sessionId, deps.now());
  if (decision === 'wait') return true;
  if (!(await claimStep(deps, rec, decision))) return true;
  switch (decision) {
    case 'intercept':
      await interceptStep(deps, session, t);
      break;
    case 'abandon':
      await abandonStep(deps, session, t);
      break;
    case 'lost':
      await tell(deps, t, session.inspectorId, await whoHolds(deps, t, session.inspectorId));
      if (t.alertId) await releaseIntercept(deps, t.alertId, t.slack.userId);
      break;
    case 'stale':
      await tell(deps, t, session.inspectorId, { step: 'unknown' });
      if (t.alertId) await releaseIntercept(deps, t.alertId, t.slack.userId);
      break;
    case 'drop':
      break;
  }
  return false;
}

/**
 * One versioned write: a gateway step marks the take-over claimed (and holds the events for its
 * result's thread); the others end it at once. False when someone else wrote first.
 */
async function claimStep(deps: QcDeps, rec: MonitoringRecord, decision: TakeoverDecision): Promise<boolean> {
  const { version, takeover, ...draft } = rec;
  const gatewayStep = decision === 'intercept' || decision === 'abandon';
  const next =
    gatewayStep && takeover ? { ...draft, takeover: { ...takeover, claimedAt: deps.now() } } : draft;
  if (gatewayStep) next.awaitingThreadSince = deps.now();
  try {
    await deps.store.putMonitoring(next, version);
    return true;
  } catch (err) {
    if (err instanceof ConflictError) return false;
    throw err;
  }
}

/** Another inspector intercepting the agent now (who), else the call is gone from us. */
async function whoHolds(deps: QcDeps, t: PendingTakeover, inspectorId: string): Promise<TakeoverStep> {
  const monitors = await agentMonitors(deps, t.slack.teamId, t.agentId);
  const holder = monitors.find((m) => m.mode === 'intercept' && m.inspectorId !== inspectorId);
  return holder ? { step: 'taken', by: holder.userId } : { step: 'call-ended' };
}

/** A take-over's step in its thread (the "Taking over…" message's), or where the request came from. */
async function tell(
  deps: QcDeps,
  t: PendingTakeover,
  inspectorId: string,
  step: TakeoverStep | QcOutcome,
): Promise<ThreadRef | null> {
  const shown: QcOutcome =
    'kind' in step ? step : { kind: 'takeover', agentId: t.agentId, inspectorId, ...step };
  return deps.notifier.report(t.slack, shown, t.thread ? { thread: t.thread } : {});
}

/** The phone answered: the intercept, its result as `/intercept` gives it, nothing left pending. */
async function interceptStep(deps: QcDeps, session: SessionRecord, t: PendingTakeover): Promise<void> {
  const started = deps.now();
  const req = { op: 'intercept' as const, agentId: t.agentId, slack: t.slack };
  const outcome = await callGateway(deps, req, session, (s) => deps.gateway.intercept(s, t.agentId));
  const ok = outcome.kind === 'gateway' && outcome.ok;
  const taken = ok ? undefined : await whoHolds(deps, t, session.inspectorId);
  const thread = await tell(deps, t, session.inspectorId, taken?.step === 'taken' ? taken : outcome);
  await finish(deps, session, t, { op: 'intercept', outcome, thread, started });
}

/** The wait ran out: stop listening (the customer's call is untouched) and say so. */
async function abandonStep(deps: QcDeps, session: SessionRecord, t: PendingTakeover): Promise<void> {
  const started = deps.now();
  const req = { op: 'stop' as const, agentId: t.agentId, slack: t.slack };
  const outcome = await callGateway(deps, req, session, (s) => deps.gateway.cancelMonitor(s, t.agentId));
  const ok = outcome.kind === 'gateway' && outcome.ok;
  const thread = await tell(
    deps,
    t,
    session.inspectorId,
    ok ? { step: 'not-answered', waitMs: t.waitMs } : outcome,
  );
  await finish(deps, session, t, { op: 'stop', outcome, thread, started });
  if (t.alertId) await releaseIntercept(deps, t.alertId, t.slack.userId);
}

/** The state the step left (the take-over gone from it), the alert, the audit row. */
async function finish(
  deps: QcDeps,
  session: SessionRecord,
  t: PendingTakeover,
  a: { op: QcOperation; outcome: QcOutcome; thread: ThreadRef | null; started: number },
): Promise<void> {
  const { inspectorId } = session;
  const req = { op: a.op, agentId: t.agentId, slack: t.slack };
  await settleMonitoring(deps, {
    inspectorId,
    teamId: session.teamId,
    job: req,
    outcome: a.outcome,
    thread: a.thread,
    also: (draft) => {
      if (draft.takeover?.id === t.id) delete draft.takeover;
    },
  });
  const alert = t.alertId ? await deps.store.alerts.getAlert(t.alertId) : undefined;
  if (alert) {
    const job: Extract<Job, { kind: 'qc' }> = {
      ...req,
      kind: 'qc',
      inspectorId,
      alertId: alert.alertId,
      v: 1,
      requestId: t.id,
      requestedAt: a.started,
    };
    await recordOnAlert(deps, alert, job, inspectorId, a.outcome);
  }
  await audit(deps, req, a.outcome, inspectorId, deps.now() - a.started, a.thread);
}
