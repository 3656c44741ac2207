import { GatewayTransportError } from '../gateway';
import type { Job } from '../queue/jobs';
import type { QcDeps } from './ports';
import { gatewaySession, isUsableSession } from './run-qc';

/**
 * `/qc signout`: the sign-out at the gateway, then our record ends and an audit row is written.
 * A refusal or a transport failure leaves the session as it is, and the user hears why. Returns the
 * job's detail (`signed-out`, `not-signed-in`, the retcode, or `transport:<kind>`).
 */
export async function signOut(deps: QcDeps, job: Extract<Job, { kind: 'signout' }>): Promise<string> {
  const { store, notifier } = deps;
  const link = await store.getLink(job.slack.teamId, job.slack.userId);
  const session = link ? await store.getSession(link.inspectorId) : undefined;
  if (!link || !session || !isUsableSession(session, job.slack)) {
    await notifier.tell(job.slack, { kind: 'not-signed-in' });
    return 'not-signed-in';
  }
  try {
    const out = await deps.gateway.signOut(gatewaySession(session));
    if (!out.ok && !out.explanation.sessionEnded) {
      await notifier.tell(job.slack, {
        kind: 'signout-refused',
        retcode: out.retcode,
        meaning: out.explanation.meaning,
        nextStep: out.explanation.nextStep,
      });
      return out.retcode;
    }
  } catch (err) {
    if (!(err instanceof GatewayTransportError)) throw err;
    await notifier.tell(job.slack, {
      kind: 'signout-unreachable',
      explanation: err.explanation,
      nextStep: err.nextStep,
    });
    return `transport:${err.kind}`;
  }
  await store.endSession(session.inspectorId, session.sessionId, 'you signed out', deps.now());
  await store.record({
    teamId: job.slack.teamId,
    userId: job.slack.userId,
    inspectorId: session.inspectorId,
    operation: 'signout',
    outcome: '0',
    at: deps.now(),
  });
  await notifier.tell(job.slack, { kind: 'signed-out', inspectorId: session.inspectorId });
  return 'signed-out';
}
