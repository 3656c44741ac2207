import { describe, expect, it } from 'vitest';
import type { GatewayClient } from '../../src/gateway/client';
import { Keeper } from '../../src/qc/keeper';
import type { Notifier } from '../../src/qc/ports';
import type { SessionRecord, Store } from '../../src/store/types';
import { captureLogger } from '../helpers/log-capture';

describe('keeper run ending during a scan', () => {
  it('takes no new leases once it is stopping (the loops that just ended are not picked up again)', async () => {
    const sessions: SessionRecord[] = Array.from({ length: 5 }, (_, i) => ({
      inspectorId: String(1001 + i),
      sessionId: `s${i}`,
      teamId: 'T',
      userId: `U${i}`,
      guid: 'g',
      mode: 'poll',
      status: 'active',
      signedInAt: 0,
      guidUpdatedAt: 0,
      version: 1,
      eventSeq: 0,
    }));
    let lists = 0;
    let leases = 0;
    const store = {
      // The second scan's read is slow: the run is aborted while it is in flight.
      listActiveSessions: async () => {
        if (++lists > 1) await new Promise((r) => setTimeout(r, 300));
        return sessions;
      },
      acquireLease: async () => {
        leases++;
        return true;
      },
      releaseLease: async () => {},
      listPending: async () => [],
      getGatewayFallbacks: async () => ({}),
    } as unknown as Store;
    const gateway = {
      pollEvent: async () => {
        await new Promise((r) => setTimeout(r, 30));
        return { ok: true, retcode: '0', data: { event: null } };
      },
    } as unknown as GatewayClient;
    const keeper = new Keeper(
      { store, gateway, notifier: {} as Notifier, logger: captureLogger(), now: Date.now },
      { rescanMs: 100, runMs: 60_000, leaseMs: 60_000 },
    );
    const abort = new AbortController();
    const run = keeper.run(abort.signal);
    setTimeout(() => abort.abort(), 250);
    const report = await run;
    expect(lists).toBe(2);
    expect(report.sessions).toBe(5);
    expect(leases).toBe(5);
    expect(report.polls).toBeGreaterThan(0);
  });
});
