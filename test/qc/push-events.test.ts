import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalDynamo, startLocalDynamo } from '../../local/dynalite';
import type { GatewayClient } from '../../src/gateway/client';
import type { Notifier, QcDeps } from '../../src/qc/ports';
import { PUSH_ANSWER_MS, receivePush } from '../../src/qc/push-events';
import { flushPendingEvents } from '../../src/qc/thread-events';
import { DynamoStore } from '../../src/store/dynamo';
import type { SessionRecord } from '../../src/store/types';
import { captureLogger } from '../helpers/log-capture';

/**
 * Pushed events: a delivery the gateway retries (our answer was lost or late) must not post its
 * lines again, and a big batch must be answered within the deadline, whatever its size: stored
 * first, turned into folded replies until the deadline, the rest left to the keeper.
 */
let db: LocalDynamo;
let store: DynamoStore;
/** DynamoDB requests made so far (for the figures of the 2,000-event push). */
let requests = 0;
beforeAll(async () => {
  db = await startLocalDynamo();
  db.client.middlewareStack.add(
    (next) => (args) => {
      requests++;
      return next(args);
    },
    { step: 'initialize', name: 'countRequests' },
  );
  store = new DynamoStore({ tableName: db.tableName, client: db.client });
});
afterAll(async () => {
  await db?.close();
});

let inspectors = 1200;
async function pushSession(): Promise<SessionRecord> {
  const id = String(++inspectors);
  return store.startSession({
    inspectorId: id,
    sessionId: `push-${id}`,
    teamId: 'T',
    userId: `U${id}`,
    guid: `g-${id}`,
    serviceToken: `tok-${id}`,
    mode: 'push',
    signedInAt: 0,
    guidUpdatedAt: 0,
  });
}

/** A clock that only moves when Slack is called: each Slack call "takes" `slackMs`. */
function world(slackMs = 0) {
  let clock = 1_800_000_000_000;
  const replies = new Map<string, string>();
  const calls: Array<'post' | 'update'> = [];
  const notifier = {
    threadReply: async (_target: unknown, lines: string[], replyTs?: string) => {
      clock += slackMs;
      calls.push(replyTs ? 'update' : 'post');
      const ts = replyTs ?? `ts-${replies.size + 1}`;
      replies.set(ts, lines.join('\n'));
      return ts;
    },
    dm: async () => {},
  } as unknown as Notifier;
  const deps: QcDeps = {
    store,
    gateway: {} as GatewayClient,
    notifier,
    logger: captureLogger(),
    now: () => clock,
  };
  const lines = () => [...replies.values()].flatMap((t) => t.split('\n'));
  return { deps, calls, lines, advance: (ms: number) => (clock += ms) };
}

const talking = (workNo: string, i: number) => ({
  eventType: 'AgentEvent_Talking',
  eventGenTime: 1_800_000_000_000 + i,
  workNo,
  content: { caller: `1390000${String(i).padStart(4, '0')}`, called: '10086', callid: `1800000000-${i}` },
});

const push = (deps: QcDeps, s: SessionRecord, eventList: unknown[]) =>
  receivePush(deps, {
    headers: { service_token: s.serviceToken, guid: s.guid },
    body: JSON.stringify({ workNo: s.inspectorId, eventList }),
  });

describe('a push delivery the gateway sends again', () => {
  it('posts each line once (same batch again, then the same batch with one more event)', async () => {
    const s = await pushSession();
    const w = world();
    const batch = [talking(s.inspectorId, 1), talking(s.inspectorId, 2)];
    expect((await push(w.deps, s, batch)).status).toBe(200);
    expect((await push(w.deps, s, batch)).status).toBe(200);
    expect((await push(w.deps, s, [...batch, talking(s.inspectorId, 3)])).status).toBe(200);
    expect(w.lines().filter((l) => /Talking/.test(l))).toEqual([
      expect.stringContaining('call 1800000000-1'),
      expect.stringContaining('call 1800000000-2'),
      expect.stringContaining('call 1800000000-3'),
    ]);
    expect(await store.listPending(s.inspectorId, s.sessionId)).toEqual([]);
  });

  it('two deliveries of the same batch at once: still once', async () => {
    const s = await pushSession();
    const w = world();
    const batch = [1, 2, 3, 4, 5].map((i) => talking(s.inspectorId, i));
    const results = await Promise.all([push(w.deps, s, batch), push(w.deps, s, batch)]);
    expect(results.map((r) => r.status)).toEqual([200, 200]);
    // Whatever one of them left pending, the keeper posts.
    while ((await store.listPending(s.inspectorId, s.sessionId)).length > 0) {
      expect(await flushPendingEvents(w.deps, s)).not.toBe('session-ended');
    }
    expect(w.lines().filter((l) => /Talking/.test(l))).toHaveLength(5);
  });

  it('two identical events in one batch are two events', async () => {
    const s = await pushSession();
    const w = world();
    const ready = { eventType: 'AgentOther_PhoneRelease', workNo: s.inspectorId, content: null };
    expect((await push(w.deps, s, [ready, ready])).status).toBe(200);
    expect(w.lines().filter((l) => /hung up/.test(l))).toHaveLength(2);
  });
});

describe('a 2,000-event push', () => {
  it('is answered within the deadline; the lines come folded, all of them, after the keeper', async () => {
    const s = await pushSession();
    // Slack is slow (each call "takes" 1 s on this clock): only a few calls fit in the deadline.
    const w = world(1_000);
    const start = w.deps.now();
    const batch = Array.from({ length: 2_000 }, (_, i) => talking(s.inspectorId, i + 1));
    // Figures only (never asserted): a one-event push on the same machine, for the ratio.
    const one = await pushSession();
    const t1 = performance.now();
    await push(world().deps, one, [talking(one.inspectorId, 1)]);
    const oneMs = performance.now() - t1;
    const requestsBefore = requests;
    const t2 = performance.now();
    const res = await push(w.deps, s, batch);
    const bigMs = performance.now() - t2;
    const pushRequests = requests - requestsBefore;
    expect(res.status).toBe(200);
    const answeredAfter = w.deps.now() - start;
    expect(answeredAfter).toBeLessThanOrEqual(PUSH_ANSWER_MS + 1_000); // at most one Slack call past it
    const callsInPush = w.calls.length;
    expect(callsInPush).toBeLessThanOrEqual(PUSH_ANSWER_MS / 1_000 + 1);
    // Everything is stored: the keeper (push mode flushes every round) posts the rest.
    expect((await store.listPending(s.inspectorId, s.sessionId)).length).toBeGreaterThan(0);
    for (let round = 0; (await store.listPending(s.inspectorId, s.sessionId)).length > 0; round++) {
      expect(round).toBeLessThan(100);
      await flushPendingEvents(w.deps, s);
    }
    const talkingLines = w.lines().filter((l) => /Talking/.test(l));
    expect(talkingLines).toHaveLength(2_000);
    expect(talkingLines[0]).toContain('call 1800000000-1)');
    expect(talkingLines[1_999]).toContain('call 1800000000-2000)');
    // Folded: tens of replies, not 2,000 posts.
    expect(w.calls.length).toBeLessThanOrEqual(60);
    console.info(
      `2,000-event push: answered after ${answeredAfter} ms of fake clock; ${callsInPush} Slack calls and ${pushRequests} DynamoDB requests in the push; ${w.calls.length} Slack calls in all; real time ${(bigMs / oneMs).toFixed(1)}× a one-event push`,
    );
  });
});
