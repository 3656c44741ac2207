import { errorSummary } from '../errors';
import { GatewayTransportError } from '../gateway';
import type { MonitoringRecord, SessionRecord } from '../store/types';
import { clearTarget, updateMonitoring } from './monitoring-record';
import type { AdminChange, GatewaySignOut } from './notice';
import type { QcDeps } from './ports';
import { gatewaySession } from './run-qc';

/** The gateway's "in a call or monitoring one": a plain sign-out is refused. */
const IN_CALL = '100-010';

/** How the sign-out at the gateway went (our record is ended either way). */
export type { GatewaySignOut } from './notice';

/** Why an admin's link change ends a session, in words for its user (who is told by DM). */
export interface EndCause {
  teamId: string;
  adminId: string;
  /** What the admin did (e.g. unlinked the user from inspector 1001); their DM says it. */
  change: AdminChange;
  /** Short, for the session record and the audit ("unlinked by an admin"). */
  reason: string;
}

/**
 * End a live session an admin's link change left without its Slack user. Our record first: from then
 * on nobody can use it, the keeper stops polling it (its lease and Guid are gone) and pushed events
 * are refused. Then, best effort, the sign-out at the gateway with the Guid read (if it fails, the
 * gateway drops the session by itself within ~2 minutes without polls). The monitoring state is
 * released, events not yet posted are dropped, the user is told by DM, and an audit row is written.
 * Undefined when the session was ended or replaced meanwhile (whoever did that told the user).
 */
export async function endSessionByAdmin(
  deps: QcDeps,
  session: SessionRecord,
  cause: EndCause,
): Promise<GatewaySignOut | undefined> {
  const { store, logger } = deps;
  if (!(await store.endSession(session.inspectorId, session.sessionId, cause.reason, deps.now())))
    return undefined;
  const monitoring = await store.getMonitoring(session.inspectorId);
  const out = await signOutAtGateway(deps, session, monitoring);
  await releaseMonitoring(deps, session, monitoring);
  for (const ev of await store.listPending(session.inspectorId, session.sessionId))
    await store.markPosted(session.inspectorId, session.sessionId, ev.seq);
  await deps.notifier
    .dm(session.teamId, session.userId, {
      kind: 'session-ended-by-admin',
      adminId: cause.adminId,
      change: cause.change,
      inspectorId: session.inspectorId,
      signOut: out,
    })
    .catch((err: unknown) =>
      // The admin's reply says the session ended; a DM Slack refused must not undo that.
      logger.warn({ err: errorSummary(err) }, 'could not DM the user whose session an admin ended'),
    );
  await store.record({
    teamId: cause.teamId,
    userId: cause.adminId,
    inspectorId: session.inspectorId,
    operation: 'session-ended',
    outcome: out.signedOut ? 'signed-out' : 'sign-out-failed',
    at: deps.now(),
    detail: session.userId,
  });
  logger.info(
    { inspector: session.inspectorId, signedOut: out.signedOut },
    'session ended by an admin link change',
  );
  return out;
}

/**
 * End a session the gateway ended by itself (it signed the inspector out, or no longer accepts the
 * session) and tell its user by DM. Only whoever ends the record tells: a session already ended or
 * replaced (someone else told the user) is left alone, and false is returned. Used by the keeper and
 * by the push receiver.
 */
export async function endSessionAndTell(
  deps: Pick<QcDeps, 'store' | 'notifier' | 'logger' | 'now'>,
  session: SessionRecord,
  reason: string,
): Promise<boolean> {
  if (!(await deps.store.endSession(session.inspectorId, session.sessionId, reason, deps.now())))
    return false;
  await deps.notifier
    .dm(session.teamId, session.userId, { kind: 'session-ended', inspectorId: session.inspectorId, reason })
    .catch((err: unknown) =>
      // The session is ended either way; a DM Slack refused must not undo that or fail the caller.
      deps.logger.warn({ err: errorSummary(err) }, 'could not DM about the ended session'),
    );
  return true;
}

/**
 * A plain sign-out; when the gateway refuses it because the inspector is monitoring (100-010), a
 * forced one, which drops only the inspector's own leg. Not while they hold a customer's call they
 * intercepted: a forced sign-out would release the customer's call.
 */
async function signOutAtGateway(
  deps: QcDeps,
  session: SessionRecord,
  monitoring: MonitoringRecord | undefined,
): Promise<GatewaySignOut> {
  const gw = gatewaySession(session);
  try {
    let out = await deps.gateway.signOut(gw);
    if (out.retcode === IN_CALL && monitoring?.mode !== 'intercept')
      out = await deps.gateway.forceSignOut(gw);
    if (out.ok || out.explanation.sessionEnded) return { signedOut: true };
    const code = /^[0-9A-Za-z-]{1,20}$/.test(out.retcode) ? ` (retcode ${out.retcode})` : '';
    return { signedOut: false, problem: `${out.explanation.meaning}${code}` };
  } catch (err) {
    if (!(err instanceof GatewayTransportError)) throw err;
    return { signedOut: false, problem: err.explanation };
  }
}

/** The inspector monitors nobody any more, and the next session's events start no old thread. */
async function releaseMonitoring(
  deps: QcDeps,
  session: SessionRecord,
  current: MonitoringRecord | undefined,
): Promise<void> {
  if (!current) return;
  const released = await updateMonitoring(
    deps,
    session,
    (draft) => {
      clearTarget(draft);
      delete draft.ops;
      delete draft.awaitingThreadSince;
    },
    { first: current },
  );
  if (!released)
    deps.logger.warn({ inspector: session.inspectorId }, 'monitoring state kept changing; not released');
}
