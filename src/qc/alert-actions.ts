import { errorSummary } from '../errors';
import type { Job } from '../queue/jobs';
import { type AlertRecord, ConflictError, type MonitoringRecord, type Store } from '../store/types';
import type { MonitorMode } from './model';
import { effectOf } from './monitoring';
import { auditOutcome, type QcOutcome } from './outcome';
import type { QcDeps } from './ports';

type QcJob = Extract<Job, { kind: 'qc' }>;

/**
 * The alert a button click names, re-checked server side: the click must come from the alert's
 * channel and name the alert's agent (button values are never trusted).
 */
export async function alertFor(
  deps: Pick<QcDeps, 'store' | 'logger'>,
  job: QcJob,
): Promise<AlertRecord | undefined> {
  if (!job.alertId) return undefined;
  const alert = await deps.store.alerts.getAlert(job.alertId);
  if (!alert || alert.agentId !== job.agentId || alert.channel !== job.slack.channelId) {
    deps.logger.warn({ alert: job.alertId, found: Boolean(alert) }, 'alert click does not match an alert');
    return undefined;
  }
  return alert;
}

/** Read–change–write of an alert record (versioned; the loser re-reads and re-applies). */
export async function changeAlert(
  deps: Pick<QcDeps, 'store'>,
  first: AlertRecord,
  change: (draft: AlertRecord) => AlertRecord | { refusal: QcOutcome },
): Promise<AlertRecord | { refusal: QcOutcome }> {
  let current = first;
  for (let attempt = 1; ; attempt++) {
    const next = change(structuredClone(current));
    if ('refusal' in next) return next;
    try {
      return await deps.store.alerts.saveAlert(next);
    } catch (err) {
      if (!(err instanceof ConflictError) || attempt >= 5) throw err;
      const fresh = await deps.store.alerts.getAlert(first.alertId);
      if (!fresh) throw err;
      current = fresh;
    }
  }
}

/**
 * Only one inspector may intercept an alert's call: the first click claims it (conditional
 * write); a second inspector is refused before the gateway.
 */
export function claimIntercept(
  deps: Pick<QcDeps, 'store' | 'now'>,
  alert: AlertRecord,
  job: QcJob,
  inspectorId: string,
): Promise<AlertRecord | { refusal: QcOutcome }> {
  return changeAlert(deps, alert, (draft) => {
    const by = draft.interceptedBy;
    if (by && by.userId !== job.slack.userId) {
      return { refusal: { kind: 'already-intercepted', agentId: draft.agentId, by: by.userId, at: by.at } };
    }
    draft.interceptedBy = { userId: job.slack.userId, inspectorId, at: deps.now() };
    return draft;
  });
}

/** After the gateway answered: who is on the alert now, the last result, and the message updated. */
export async function recordOnAlert(
  deps: QcDeps,
  alert: AlertRecord,
  job: QcJob,
  inspectorId: string,
  outcome: QcOutcome,
): Promise<void> {
  const ok = outcome.kind === 'gateway' && outcome.ok;
  // The audit's word (retcode, refused:<why>, transport:<kind>): one wording with Home's.
  const retcode = auditOutcome(outcome);
  try {
    const saved = await changeAlert(deps, alert, (draft) => {
      const user = job.slack.userId;
      const effect = effectOf(job.op);
      if (ok && effect === 'none') delete draft.participants[user];
      else if (ok && typeof effect === 'object')
        draft.participants[user] = { inspectorId, mode: effect.mode, since: deps.now() };
      if (job.op === 'intercept' && !ok && draft.interceptedBy?.userId === user) delete draft.interceptedBy;
      draft.last = { userId: user, op: job.op, retcode, ok, at: deps.now() };
      return draft;
    });
    if ('refusal' in saved || saved.messageGone) return;
    const monitors = await agentMonitors(deps, job.slack.teamId, saved.agentId).catch((err: unknown) => {
      // The alert is still redrawn, with the people who clicked on it.
      deps.logger.warn({ err: errorSummary(err) }, 'who monitors the alert agent could not be read');
      return [];
    });
    if ((await deps.notifier.updateAlert(saved, monitors)) === 'gone') {
      await changeAlert(deps, saved, (draft) => ({ ...draft, messageGone: true }));
    }
  } catch (err) {
    // The operation is done and reported; a stale alert message is logged, not fatal.
    deps.logger.error({ alert: alert.alertId, err: errorSummary(err) }, 'alert message could not be updated');
  }
}

/**
 * Free an alert's call that `userId` claimed by a request whose outcome is unknown (its worker
 * died): other inspectors are no longer refused on it, and the message is redrawn. The gateway
 * still refuses a second intercept if the first one did happen.
 */
export async function releaseIntercept(deps: QcDeps, alertId: string, userId: string): Promise<void> {
  const alert = await deps.store.alerts.getAlert(alertId);
  if (alert?.interceptedBy?.userId !== userId) return;
  const saved = await changeAlert(deps, alert, (draft) => {
    if (draft.interceptedBy?.userId === userId) delete draft.interceptedBy;
    return draft;
  });
  if ('refusal' in saved || saved.messageGone) return;
  if ((await deps.notifier.updateAlert(saved)) === 'gone')
    await changeAlert(deps, saved, (draft) => ({ ...draft, messageGone: true }));
}

/**
 * Who monitors `agentId` (or any agent) in a team now, however they started: the monitoring index,
 * each record with the Slack user of its live session in that team (records of ended or foreign
 * sessions are left out).
 */
export async function agentMonitors(
  deps: { store: Pick<Store, 'listMonitoring' | 'getSession'> },
  teamId: string,
  agentId?: string,
): Promise<Array<MonitoringRecord & { userId: string; mode: MonitorMode }>> {
  const records = await deps.store.listMonitoring(teamId, agentId);
  const rows = await Promise.all(
    records.map(async (m) => {
      const session = await deps.store.getSession(m.inspectorId);
      return session?.status === 'active' && session.teamId === teamId && m.mode
        ? { ...m, mode: m.mode, userId: session.userId }
        : undefined;
    }),
  );
  return rows.filter((r) => r !== undefined);
}
