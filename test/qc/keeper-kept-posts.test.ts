/**
 * The keeper posts the results Slack could not take within a worker's time (kept in the table), beside
 * the inspectors' loops: shard 0 only (a kept result is never posted by two keepers), again while some
 * are left, and a failure is counted, not fatal.
 */
import { describe, expect, it } from 'vitest';
import type { GatewayClient } from '../../src/gateway/client';
import { Keeper } from '../../src/qc/keeper';
import type { Notifier } from '../../src/qc/ports';
import type { Store } from '../../src/store/types';
import { captureLogger } from '../helpers/log-capture';

const store = {
  listActiveSessions: async () => [],
  getGatewayFallbacks: async () => ({}),
} as unknown as Store;

function keeperWith(deliverKept: Notifier['deliverKept'], shard = 0) {
  return new Keeper(
    {
      store,
      gateway: {} as GatewayClient,
      notifier: { deliverKept } as Notifier,
      logger: captureLogger(),
      now: Date.now,
    },
    { rescanMs: 20, runMs: 60_000, shard, shards: 2 },
  );
}

describe('keeper: kept posts', () => {
  it('shard 0 delivers them until none is left, then keeps looking; a failure is counted', async () => {
    const calls: number[] = [];
    let left = 3;
    const keeper = keeperWith(async (deadline) => {
      calls.push(deadline);
      if (calls.length === 2) throw new Error('table unreachable');
      left = Math.max(0, left - 1);
      return left;
    });
    const abort = new AbortController();
    const run = keeper.run(abort.signal);
    // Bounded wait for the fifth call (none left since the fourth: it goes on looking).
    for (let i = 0; i < 250 && calls.length < 5; i++) await new Promise((r) => setTimeout(r, 20));
    abort.abort();
    const report = await run;
    expect(calls.length).toBeGreaterThanOrEqual(5);
    expect(report.errors).toBe(1);
  });

  it('other shards leave them alone', async () => {
    let called = 0;
    const keeper = keeperWith(async () => {
      called++;
      return 0;
    }, 1);
    const abort = new AbortController();
    const run = keeper.run(abort.signal);
    // Shard 1 never starts delivering (decided at the start of the run, whatever the timing).
    await new Promise((r) => setTimeout(r, 50));
    abort.abort();
    await run;
    expect(called).toBe(0);
  });
});
