import { timingSafeEqual } from 'node:crypto';
import { parsePushBody } from '../gateway/events';
import type { QcDeps } from './ports';
import { flushPendingEvents } from './thread-events';

export type PushResult = { status: 200 | 400 | 401; body: { message: string; retcode: string } };

const reply = (status: PushResult['status'], retcode: string, message: string): PushResult => ({
  status,
  body: { message, retcode },
});

function same(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Events pushed by the gateway (`POST /gateway/events`): the per-session `service_token` and the
 * session's current Guid must both match before anything is stored. Events are kept pending and
 * turned into thread replies like polled ones.
 */
export async function receivePush(
  deps: QcDeps,
  req: { headers: Record<string, string | undefined>; body: string },
): Promise<PushResult> {
  let parsed: ReturnType<typeof parsePushBody>;
  try {
    parsed = parsePushBody(JSON.parse(req.body));
  } catch {
    parsed = null;
  }
  if (!parsed || !/^[0-9]{3,7}$/.test(parsed.workNo))
    return reply(400, '000-006', 'body is not {workNo, eventList}');
  const session = await deps.store.getSession(parsed.workNo);
  if (
    session?.status !== 'active' ||
    session.mode !== 'push' ||
    !same(req.headers.service_token, session.serviceToken) ||
    !same(req.headers.guid, session.guid)
  ) {
    deps.logger.warn({ inspector: parsed.workNo }, 'pushed events refused: unknown session, token or Guid');
    return reply(401, '100-001', 'unknown session or bad service_token');
  }
  for (const event of parsed.events) {
    const seq = await deps.store.nextEventSeq(session.inspectorId, session.sessionId);
    await deps.store.savePending({
      inspectorId: session.inspectorId,
      sessionId: session.sessionId,
      seq,
      event,
      receivedAt: deps.now(),
    });
  }
  const flushed = await flushPendingEvents(deps, session);
  if (flushed === 'session-ended') {
    if (
      await deps.store.endSession(
        session.inspectorId,
        session.sessionId,
        'the gateway signed you out',
        deps.now(),
      )
    ) {
      await deps.notifier.dm(session.teamId, session.userId, {
        kind: 'session-ended',
        inspectorId: session.inspectorId,
        reason: 'the gateway signed you out',
      });
    }
  }
  return reply(200, '0', 'success');
}
