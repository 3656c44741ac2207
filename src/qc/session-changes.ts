import type { GatewayOutcome, GatewaySession, RetcodeExplanation } from '../gateway';
import { ConflictError, type SessionRecord } from '../store/types';
import type { QcDeps } from './ports';

/**
 * A gateway answer may carry news about the session: a rotated Guid (`Set-GUID` on any answer, QC
 * answers included) and load-balancer cookies (`Set-Cookie`). Both are stored at once, so the worker
 * and the keeper send the same Guid and the same cookies — without them a load balancer may send the
 * next request to a gateway node that does not know the session (100-006).
 * Returns the session as it now is, or undefined when it was replaced or ended meanwhile.
 */
export async function adoptSessionChanges(
  deps: Pick<QcDeps, 'store' | 'now'>,
  session: SessionRecord,
  outcome: Pick<GatewayOutcome, 'newGuid' | 'cookie'>,
): Promise<SessionRecord | undefined> {
  let current = await adoptCookie(deps.store, session, outcome.cookie);
  if (current && outcome.newGuid) {
    const guid = outcome.newGuid.reveal();
    try {
      const version = await deps.store.updateGuid(
        current.inspectorId,
        current.sessionId,
        current.version,
        guid,
        deps.now(),
      );
      current = { ...current, guid, version, guidUpdatedAt: deps.now() };
    } catch (err) {
      if (!(err instanceof ConflictError)) throw err;
      // The keeper stored a rotation meanwhile: its Guid is at least as new as this one.
      return deps.store.getSession(session.inspectorId);
    }
  }
  return current;
}

/**
 * Store the load-balancer cookies an answer set, when they changed. Returns the session with them, or
 * undefined when the session ended or was replaced meanwhile. Shared by the worker and the keeper.
 */
export async function adoptCookie(
  store: Pick<QcDeps['store'], 'updateCookie'>,
  session: SessionRecord,
  cookie: string | undefined,
): Promise<SessionRecord | undefined> {
  if (cookie === undefined || cookie === session.cookie) return session;
  const kept = await store.updateCookie(session.inspectorId, session.sessionId, cookie);
  return kept ? { ...session, cookie } : undefined;
}

/**
 * A `100-006`-like answer to one request does not prove the session is gone: behind a load balancer a
 * single request can land on a node that does not know it. Ask the gateway once more (the session's
 * own status: it reads no events, so the keeper's poll loses nothing) before ending anything.
 * 'gone' only when that answer says so too; 'alive' when it succeeds; 'unknown' on a transport error.
 */
export async function confirmSessionGone(
  deps: Pick<QcDeps, 'gateway'>,
  gatewaySession: GatewaySession,
): Promise<'gone' | 'alive' | 'unknown'> {
  try {
    const status = await deps.gateway.agentStatus(gatewaySession);
    if (status.ok) return 'alive';
    return status.explanation.sessionEnded ? 'gone' : 'unknown';
  } catch {
    // A transport failure proves nothing either way: the keeper's next polls decide.
    return 'unknown';
  }
}

/** What to say when the gateway refused one request as "session unknown" but that was not confirmed. */
export function unconfirmedExplanation(
  e: RetcodeExplanation,
  verdict: 'alive' | 'unknown',
): RetcodeExplanation {
  const meaning =
    verdict === 'alive'
      ? `The gateway refused this request as if your session had expired (${e.code}), but it answered the next check: your session is still alive.`
      : `The gateway refused this request as if your session had expired (${e.code}); qc-slack could not check it just now. If the session is gone, you will get a direct message.`;
  return {
    ...e,
    sessionEnded: false,
    retryable: true,
    meaning,
    nextStep:
      'Try again. If it happens again, run /qc status; tell the platform team if a load balancer may be losing the session.',
  };
}
