import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { GatewayClient } from '../../src/gateway/client';
import { GatewayHttpStatusError } from '../../src/gateway/errors';
import { explainRetcode } from '../../src/gateway/retcodes';
import { Secret } from '../../src/gateway/secret';
import { backoffMs, Keeper } from '../../src/qc/keeper';
import type { Notifier } from '../../src/qc/ports';
import type { SessionRecord, Store } from '../../src/store/types';
import { captureLogger } from '../helpers/log-capture';

/**
 * How the keeper meets real gateways: it pauses after empty polls that were not held, backs off after
 * errors, confirms a "session unknown" answer before ending a session, stores load-balancer cookies, and
 * keeps push-mode sessions alive by polling on a gateway without `handshake`.
 */
function session(id: string, extra: Partial<SessionRecord> = {}): SessionRecord {
  return {
    inspectorId: id,
    sessionId: `s-${id}`,
    teamId: 'T',
    userId: `U${id}`,
    guid: 'guid-1',
    mode: 'poll',
    status: 'active',
    signedInAt: 0,
    guidUpdatedAt: 0,
    version: 1,
    eventSeq: 0,
    ...extra,
  };
}

function fakeStore(sessions: SessionRecord[], fallbacks: Record<string, number> = {}) {
  const calls = { ended: [] as string[], cookies: [] as string[], fallbacks: [] as string[] };
  const store = {
    listActiveSessions: async () => sessions,
    acquireLease: async () => true,
    releaseLease: async () => {},
    listPending: async () => [],
    getGatewayFallbacks: async () => fallbacks,
    noteGatewayFallback: async (f: string) => {
      calls.fallbacks.push(f);
      fallbacks[f] = 1;
    },
    updateCookie: async (_id: string, _s: string, cookie: string) => {
      calls.cookies.push(cookie);
      return true;
    },
    endSession: async (id: string) => {
      calls.ended.push(id);
      return true;
    },
    getSession: async () => undefined,
  } as unknown as Store;
  return { store, calls };
}

const ok = (event: unknown = null, extra: object = {}) => ({
  ok: true,
  retcode: '0',
  operation: 'getAgentEvent',
  message: '',
  latencyMs: 1,
  data: { event },
  ...extra,
});
const refused = (retcode: string) => ({
  ok: false,
  retcode,
  operation: 'getAgentEvent',
  message: '',
  latencyMs: 1,
  explanation: explainRetcode(retcode),
});

function keeperFor(store: Store, gateway: Partial<GatewayClient>, opts: object = {}) {
  const notifier = { dm: async () => {} } as unknown as Notifier;
  return new Keeper(
    { store, gateway: gateway as GatewayClient, notifier, logger: captureLogger(), now: Date.now },
    { rescanMs: 60_000, leaseMs: 60_000, errorBackoffMs: 20, ...opts },
  );
}

/** Run a keeper until `done()` says so (checked every 10 ms, bounded), then stop it. */
async function runUntil(keeper: Keeper, done: () => boolean, limitMs = 10_000) {
  const abort = new AbortController();
  const started = Date.now();
  const run = keeper.run(abort.signal);
  while (!done() && Date.now() - started < limitMs) await new Promise((r) => setTimeout(r, 10));
  abort.abort();
  return { report: await run, ms: Date.now() - started };
}

describe('keeper against gateways that differ', () => {
  it('a gateway that answers empty polls at once is polled at most ~2 times a second, not as fast as it answers', async () => {
    const { store } = fakeStore([session('1001')]);
    let polls = 0;
    const gateway = {
      pollEvent: async () => {
        polls++;
        if (polls > 2_000) throw new Error('spinning: no pause after fast empty polls');
        return ok();
      },
    };
    const keeper = keeperFor(store, gateway as never, { emptyPollPauseMs: 500 });
    // However fast or slow this machine is, the pause bounds the rate from above.
    const { ms } = await runUntil(keeper, () => polls >= 4);
    expect(polls).toBeGreaterThanOrEqual(4);
    expect(polls / (ms / 1000)).toBeLessThanOrEqual(3);
  });

  it('one "session unknown" answer is confirmed by the next poll before the session is ended', async () => {
    const { store, calls } = fakeStore([session('1001')]);
    const answers = [refused('100-006'), ok(), refused('100-006'), refused('100-006')];
    let polls = 0;
    const gateway = { pollEvent: async () => answers[polls++] ?? ok() };
    const keeper = keeperFor(store, gateway as never, { emptyPollPauseMs: 1 });
    await runUntil(keeper, () => calls.ended.length > 0);
    expect(polls).toBe(4); // the first 100-006 was disproved by a good poll; two in a row end it
    expect(calls.ended).toEqual(['1001']);
  });

  it('load-balancer cookies from a poll are stored, so the worker sends the same ones', async () => {
    const { store, calls } = fakeStore([session('1001', { cookie: 'huaweielbsession=a' })]);
    let polls = 0;
    const gateway = {
      pollEvent: async () => {
        polls++;
        return polls === 2 ? ok(null, { cookie: 'huaweielbsession=b' }) : ok();
      },
    };
    await runUntil(keeperFor(store, gateway as never, { emptyPollPauseMs: 1 }), () => polls >= 3);
    expect(calls.cookies).toEqual(['huaweielbsession=b']);
  });

  it('no handshake route (2018 gateways): the push-mode session is kept alive by polling, remembered and logged once', async () => {
    const sessions = [session('1001', { mode: 'push' }), session('1003', { mode: 'push' })];
    const { store, calls } = fakeStore(sessions);
    let handshakes = 0;
    let polls = 0;
    const gateway = {
      handshake: async () => {
        handshakes++;
        throw new GatewayHttpStatusError('handShake', 404);
      },
      pollEvent: async () => {
        polls++;
        return ok();
      },
    };
    await runUntil(keeperFor(store, gateway as never, { emptyPollPauseMs: 1 }), () => polls >= 6);
    expect(handshakes).toBeLessThanOrEqual(2); // at most one per loop that started before it was known
    expect(calls.fallbacks).toEqual(['no-handshake']);

    // A later run knows it from the table: it polls at once.
    let later = 0;
    const next = {
      handshake: async () => {
        later++;
        throw new GatewayHttpStatusError('handShake', 404);
      },
      pollEvent: async () => {
        polls++;
        return ok();
      },
    };
    const before = polls;
    await runUntil(keeperFor(store, next as never, { emptyPollPauseMs: 1 }), () => polls >= before + 4);
    expect(later).toBe(0);
  });

  it('a rotated Guid on a poll is still stored (the sticky session stays usable)', async () => {
    const { store } = fakeStore([session('1001')]);
    let stored = '';
    (store as unknown as { updateGuid: unknown }).updateGuid = async (
      _i: string,
      _s: string,
      _v: number,
      g: string,
    ) => {
      stored = g;
      return 2;
    };
    let polls = 0;
    const gateway = {
      pollEvent: async () => {
        polls++;
        return polls === 1 ? ok(null, { newGuid: new Secret('guid-2') }) : ok();
      },
    };
    await runUntil(keeperFor(store, gateway as never, { emptyPollPauseMs: 1 }), () => polls >= 2);
    expect(stored).toBe('guid-2');
  });
});

describe('backoff after failed polls', () => {
  it('grows from the base, never exceeds the cap, and keeps half of it fixed (jitter on the other half)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 60 }), fc.double({ min: 0, max: 1, noNaN: true }), (n, r) => {
        const wait = backoffMs(n, 1_000, 15_000, () => r);
        const ceiling = Math.min(15_000, 1_000 * 2 ** (n - 1));
        return wait >= Math.floor(ceiling / 2) && wait <= ceiling;
      }),
    );
    expect(backoffMs(0, 1_000, 15_000)).toBe(0);
    expect(backoffMs(1, 1_000, 15_000, () => 1)).toBe(1_000);
    expect(backoffMs(10, 1_000, 15_000, () => 1)).toBe(15_000);
  });
});
