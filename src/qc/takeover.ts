import type { Job } from '../queue/jobs';
import type { AlertRecord, MonitoringRecord, PendingTakeover, SessionRecord } from '../store/types';
import { agentMonitors, alertFor, claimIntercept, recordOnAlert } from './alert-actions';
import { isMonitoringMode } from './monitoring';
import type { QcOutcome } from './outcome';
import type { QcDeps, QcPolicy } from './ports';
import {
  admit,
  audit,
  callGateway,
  loadQcState,
  markAwaiting,
  planCall,
  refuse,
  runQc,
  settleMonitoring,
} from './run-qc';

type TakeoverJob = Extract<Job, { kind: 'takeover' }>;
type QcJob = Extract<Job, { kind: 'qc' }>;

/** How long a take-over waits for the inspector's phone unless TAKEOVER_ANSWER_MS says otherwise. */
export const TAKEOVER_ANSWER_MS = 30_000;

export type TakeoverDeps = QcDeps & QcPolicy & { limits?: { takeoverAnswerMs?: number } };

/** The word the job's result is logged with: the retcode, or the outcome's kind. */
const detailOf = (o: QcOutcome): string => (o.kind === 'gateway' ? o.retcode : o.kind);

/**
 * One-click take-over, its first step: admitted as an intercept; already monitoring the agent → the
 * plain intercept; else (nobody else holding the call, the alert claimed) one gateway call, listen,
 * and the pending take-over stored with the monitoring state. The keeper does the rest
 * (takeover-step.ts) once the phone is answered or the wait runs out.
 */
export async function runTakeover(deps: TakeoverDeps, job: TakeoverJob): Promise<string> {
  const asIntercept: QcJob = { ...job, kind: 'qc', op: 'intercept' };
  const state = await loadQcState(deps, asIntercept);
  const admitted = admit(deps, asIntercept, state.link, state.session);
  if ('refusal' in admitted)
    return detailOf(await refuse(deps, asIntercept, admitted.refusal, admitted.inspectorId));
  const { inspectorId, session } = admitted;
  const m = state.monitoring;
  const pending = m?.takeover?.sessionId === session.sessionId ? m.takeover : undefined;
  if (pending)
    return detailOf(
      await refuse(deps, asIntercept, { kind: 'takeover-pending', agentId: pending.agentId }, inspectorId),
    );
  // Already listening, inserted or whispering on this agent: nothing to wait for.
  if (m?.agentId === job.agentId && isMonitoringMode(m.mode))
    return detailOf(await runQc(deps, asIntercept, Promise.resolve(state)));
  const plan = planCall('intercept', job.agentId, m);
  if ('refusal' in plan && plan.refusal.kind !== 'not-monitoring')
    return detailOf(await refuse(deps, asIntercept, plan.refusal, inspectorId));
  const checked = await checkTakeover(deps, asIntercept, inspectorId);
  if ('refusal' in checked) return detailOf(await refuse(deps, asIntercept, checked.refusal, inspectorId));
  return detailOf(await listenFirst(deps, asIntercept, { session, monitoring: m, alert: checked.alert }));
}

/**
 * Before the gateway: the alert (if clicked on one) still known, and nobody else holding the call —
 * another inspector intercepting the agent now, or the alert's call claimed — then the claim.
 */
async function checkTakeover(
  deps: TakeoverDeps,
  job: QcJob,
  inspectorId: string,
): Promise<{ alert?: AlertRecord } | { refusal: QcOutcome }> {
  const alert = job.alertId ? await alertFor(deps, job) : undefined;
  if (job.alertId && !alert) return { refusal: { kind: 'alert-gone' } };
  // The alert's single taker, in the words an Intercept click gets.
  const by = alert?.interceptedBy;
  if (by && by.userId !== job.slack.userId)
    return { refusal: { kind: 'already-intercepted', agentId: job.agentId, by: by.userId, at: by.at } };
  const monitors = await agentMonitors(deps, job.slack.teamId, job.agentId);
  const holder = monitors.find((r) => r.mode === 'intercept' && r.inspectorId !== inspectorId);
  if (holder) return { refusal: { kind: 'taken-first', agentId: job.agentId, by: holder.userId } };
  if (!alert) return {};
  const claimed = await claimIntercept(deps, alert, job, inspectorId);
  return 'refusal' in claimed ? claimed : { alert: claimed };
}

/** The listen; on success "Taking over…" in the channel, and the pending take-over stored with the state. */
async function listenFirst(
  deps: TakeoverDeps,
  job: QcJob,
  a: { session: SessionRecord; monitoring: MonitoringRecord | undefined; alert?: AlertRecord | undefined },
): Promise<QcOutcome> {
  const started = deps.now();
  const { inspectorId } = a.session;
  const teamId = job.slack.teamId;
  const listen = { op: 'listen' as const, agentId: job.agentId, slack: job.slack };
  await markAwaiting(deps, inspectorId, teamId, a.monitoring);
  const outcome = await callGateway(deps, listen, a.session, (s) =>
    deps.gateway.qc('listen', s, job.agentId),
  );
  const ok = outcome.kind === 'gateway' && outcome.ok;
  const waitMs = deps.limits?.takeoverAnswerMs ?? TAKEOVER_ANSWER_MS;
  const shown: QcOutcome = ok
    ? {
        kind: 'takeover',
        step: 'ringing',
        agentId: job.agentId,
        inspectorId,
        waitMs,
        ...(a.session.phone ? { phone: a.session.phone } : {}),
      }
    : outcome;
  const alert = a.alert && !a.alert.messageGone ? { channel: a.alert.channel, ts: a.alert.ts } : undefined;
  const thread = await deps.notifier.report(job.slack, shown, alert ? { thread: alert } : {});
  const { ackNote: _answered, ...slack } = job.slack;
  const pending: PendingTakeover = {
    id: job.requestId,
    agentId: job.agentId,
    sessionId: a.session.sessionId,
    deadline: deps.now() + waitMs,
    waitMs,
    slack,
    ...(job.alertId ? { alertId: job.alertId } : {}),
    ...(thread ? { thread } : {}),
  };
  await settleMonitoring(deps, {
    inspectorId,
    teamId,
    job: listen,
    outcome,
    thread,
    ...(ok ? { also: (draft) => void Object.assign(draft, { takeover: pending }) } : {}),
  });
  // A failed listen frees the alert's call (recorded as the intercept it was meant to become).
  if (a.alert)
    await recordOnAlert(deps, a.alert, { ...job, op: ok ? 'listen' : 'intercept' }, inspectorId, outcome);
  await audit(deps, listen, outcome, inspectorId, deps.now() - started, thread);
  return outcome;
}
