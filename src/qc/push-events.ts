import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { type GatewayEvent, parsePushBody } from '../gateway/events';
import type { SessionRecord } from '../store/types';
import { endSessionAndTell } from './end-session';
import type { QcDeps } from './ports';
import { flushPendingEvents } from './thread-events';

export type PushResult = { status: 200 | 400 | 401 | 503; body: { message: string; retcode: string } };

/**
 * A push is answered within this long, whatever its size: the events are stored first, replies are
 * posted until then, the keeper (or the next push) posts the rest. Below the simulator's 5 s client
 * timeout and the function's 10 s.
 */
export const PUSH_ANSWER_MS = 4_000;
/**
 * The same event pushed again within this long is a retry (the gateway retries every 10 s and gives
 * up after 120 s). Gateways that stamp `eventGenTime` make every event distinct; without it, an
 * identical event (same type and content) in another delivery within the window is taken as a retry.
 */
export const PUSH_DEDUP_MS = 180_000;
/** How long storing one delivery may hold the inspector's 'store' turn (the function's timeout). */
const STORE_TURN_MS = 10_000;

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
  opts: { answerWithinMs?: number } = {},
): Promise<PushResult> {
  const deadline = deps.now() + (opts.answerWithinMs ?? PUSH_ANSWER_MS);
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
  if (!(await storePushed(deps, session, parsed.events, deadline))) {
    deps.logger.warn(
      { inspector: session.inspectorId },
      'pushed events not stored in time; the gateway retries',
    );
    return reply(503, '000-001', 'busy: send again');
  }
  const flushed = await flushPendingEvents(deps, session, { deadline });
  if (flushed === 'session-ended') await endSessionAndTell(deps, session, 'the gateway signed you out');
  return reply(200, '0', 'success');
}

/**
 * Store a delivery's new events as pending, in order, once: the keys of events received in the
 * last PUSH_DEDUP_MS are read, events a retry brings again are left out, the new ones are stored
 * (in items of many events), then their keys noted. Deliveries of one inspector are stored one at
 * a time (a 'store' turn, awaited until the deadline), so overlapping deliveries neither take an
 * event twice nor interleave sequence numbers. False when the turn did not come in time.
 */
async function storePushed(
  deps: QcDeps,
  session: SessionRecord,
  events: GatewayEvent[],
  deadline: number,
): Promise<boolean> {
  if (events.length === 0) return true;
  const { store } = deps;
  const owner = randomUUID();
  while (!(await store.claimTurn(session.inspectorId, 'store', owner, deps.now(), STORE_TURN_MS))) {
    if (deps.now() >= deadline) return false;
    await sleep(50);
  }
  try {
    const keys = pushedKeys(session.sessionId, events);
    const seen = await store.recentPushed(session.inspectorId, deps.now());
    const kept = events.filter((_, i) => !seen.has(keys[i] as string));
    if (kept.length === 0) return true;
    const first = await store.reserveEventSeqs(session.inspectorId, session.sessionId, kept.length);
    await store.savePendingMany(
      kept.map((event, i) => ({
        inspectorId: session.inspectorId,
        sessionId: session.sessionId,
        seq: first + i,
        event,
        receivedAt: deps.now(),
      })),
    );
    // Noted only once stored: a failure before this leaves the retry free to store them.
    await store.notePushed(
      session.inspectorId,
      keys.filter((k) => !seen.has(k)),
      deps.now() + PUSH_DEDUP_MS,
    );
    return true;
  } finally {
    await store.releaseTurn(session.inspectorId, 'store', owner);
  }
}

/**
 * One key per pushed event: its session, type, workNo, genTime and content, and how many identical
 * events came before it in the same delivery (two identical events in one delivery are two).
 */
export function pushedKeys(sessionId: string, events: GatewayEvent[]): string[] {
  const seen = new Map<string, number>();
  return events.map((e) => {
    const base = JSON.stringify([sessionId, e.type, e.workNo, e.genTime ?? null, e.content]);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    return createHash('sha256').update(`${base}#${n}`).digest('base64url').slice(0, 22);
  });
}
