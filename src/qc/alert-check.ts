/**
 * Is a monitoring alert's agent on a call? λ alerts has no gateway session, so after posting an alert
 * it queues an alert-check; the worker reads the floor once (`allAgentStatus`) with any signed-in
 * session of the team. An agent not on a call gets it stored on the alert (`agentCall`), and the alert
 * says so instead of offering QC buttons (it keeps "Check again"); an agent on a call leaves the alert
 * as it is (or brings the buttons back after a "Check again"). No signed-in session, a gateway failure,
 * or an agent the gateway does not list: the alert stays as it is and nothing is said.
 */
import { errorSummary } from '../errors';
import { ALERT_CHECK_USER, type Job } from '../queue/jobs';
import type { AlertRecord, SessionRecord } from '../store/types';
import { agentMonitors, changeAlert } from './alert-actions';
import { type FloorState, stateOfEntry } from './floor';
import type { QcDeps } from './ports';
import { gatewaySession } from './run-qc';
import { adoptSessionChanges } from './session-changes';

type AlertCheckJob = Extract<Job, { kind: 'alert-check' }>;

/** States in which the QC buttons make sense (ringing: the call is about to start; unknown: do not hide them). */
const ON_A_CALL: ReadonlySet<FloorState> = new Set(['talking', 'ringing', 'unknown']);

/** Runs one check; the word is the job's detail (what happened, for the logs). */
export async function runAlertCheck(deps: QcDeps, job: AlertCheckJob): Promise<string> {
  const alert = await deps.store.alerts.getAlert(job.alertId);
  if (!alert?.ts || alert.messageGone) return 'no-alert';
  // A person's "Check again" must come from the alert's channel (button values are never trusted).
  if (job.slack.userId !== ALERT_CHECK_USER && alert.channel !== job.slack.channelId) return 'no-alert';
  if (alert.interceptedBy) return 'intercepted';
  const session = await sessionOfTeam(deps, job.slack.teamId);
  if (!session) return 'no-session';
  const state = await agentState(deps, session, alert.agentId);
  if (typeof state !== 'object') return state;
  const next = ON_A_CALL.has(state.state) ? undefined : { state: state.state, checkedAt: deps.now() };
  // The same finding again changes nothing (a second automatic check); a person's Check again shows its time.
  const asked = job.slack.userId !== ALERT_CHECK_USER;
  if (!next && !alert.agentCall) return 'on-call';
  if (next && alert.agentCall?.state === next.state && !asked) return 'unchanged';
  await redraw(deps, job, alert, next);
  return next ? `no-call:${next.state}` : 'on-call-again';
}

/** Any signed-in session of the team (the newest sign-in first): its floor read is as good as any. */
async function sessionOfTeam(deps: QcDeps, teamId: string): Promise<SessionRecord | undefined> {
  const sessions = (await deps.store.listActiveSessions()).filter(
    (s) => s.teamId === teamId && s.status === 'active',
  );
  return sessions.sort((a, b) => b.signedInAt - a.signedInAt)[0];
}

/** One `allAgentStatus` read: the agent's floor state, or why there is none. */
async function agentState(
  deps: QcDeps,
  session: SessionRecord,
  agentId: string,
): Promise<{ state: FloorState } | 'gateway-failed' | 'not-listed'> {
  let result: Awaited<ReturnType<QcDeps['gateway']['allAgentStatus']>>;
  try {
    result = await deps.gateway.allAgentStatus(gatewaySession(session));
  } catch (err) {
    // A read that changes nothing: the alert keeps its buttons; no retry (the next alert checks again).
    deps.logger.info({ err: errorSummary(err) }, 'alert check: the gateway could not be reached');
    return 'gateway-failed';
  }
  await adoptSessionChanges(deps, session, result);
  if (!result.ok) {
    deps.logger.info({ retcode: result.retcode }, 'alert check: the floor could not be read');
    return 'gateway-failed';
  }
  const entry = result.data.agents.find((a) => a.workNo === agentId);
  return entry ? { state: stateOfEntry(entry) } : 'not-listed';
}

/** Stores the finding (versioned) and redraws the alert; a deleted message is remembered. */
async function redraw(
  deps: QcDeps,
  job: AlertCheckJob,
  alert: AlertRecord,
  agentCall: AlertRecord['agentCall'],
): Promise<void> {
  const saved = await changeAlert(deps, alert, (draft) => {
    if (draft.interceptedBy) return draft;
    if (agentCall) draft.agentCall = agentCall;
    else delete draft.agentCall;
    return draft;
  });
  if ('refusal' in saved || saved.messageGone) return;
  const monitors = await agentMonitors(deps, job.slack.teamId, saved.agentId).catch((err: unknown) => {
    // The alert is still redrawn, with the people who clicked on it.
    deps.logger.warn({ err: errorSummary(err) }, 'who monitors the alert agent could not be read');
    return [];
  });
  if ((await deps.notifier.updateAlert(saved, monitors)) === 'gone')
    await changeAlert(deps, saved, (draft) => ({ ...draft, messageGone: true }));
}
