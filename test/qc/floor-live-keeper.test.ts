import { describe, expect, it } from 'vitest';
import type { GatewayEvent, GatewaySession } from '../../src/gateway';
import { floorLiveFor } from '../../src/qc/floor-live';
import { Keeper } from '../../src/qc/keeper';
import type { Gateway } from '../../src/qc/ports';
import { FakeGateway } from '../helpers/fake-gateway';
import { captureLogger } from '../helpers/log-capture';
import { MemoryStore } from '../helpers/memory-store';
import { RecordingNotifier } from '../helpers/recording-notifier';

/** A fake gateway whose polls hand out `queue` one event at a time (then nothing, after a short hold). */
function queuedGateway(): { gateway: FakeGateway; queue: GatewayEvent[] } {
  const gateway = new FakeGateway();
  const queue: GatewayEvent[] = [];
  const poll = gateway.pollEvent.bind(gateway);
  const port: Gateway = gateway;
  port.pollEvent = async (s: GatewaySession) => {
    const event = queue.shift() ?? null;
    if (!event) await new Promise((r) => setTimeout(r, 20));
    const answer = await poll(s);
    return answer.ok ? { ...answer, data: { event } } : answer;
  };
  return { gateway, queue };
}

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 5_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('the keeper keeps floors live (its hooks)', () => {
  it('folds a polled agent state notice into the floor, redraws it, and keeps it out of the thread’s pending events', async () => {
    const store = new MemoryStore();
    const { gateway, queue } = queuedGateway();
    gateway.floor = [
      { workNo: '2001', status: 4, ctiStatus: 1 },
      { workNo: '2002', status: 4, ctiStatus: 1 },
    ];
    const notifier = new RecordingNotifier();
    const deps = { store, gateway, notifier, logger: captureLogger(), now: Date.now };
    // The process's hub, made before the keeper takes it: fast listing and a short gap for the test.
    floorLiveFor(deps, { refreshMs: 20, policy: { minGapMs: 50 } });
    await store.startSession({
      inspectorId: '1001',
      sessionId: 's1',
      teamId: 'T',
      userId: 'U1',
      guid: 'g',
      mode: 'poll',
      signedInAt: Date.now(),
      guidUpdatedAt: Date.now(),
    });
    await store.floors.putFloor({
      teamId: 'T',
      floorId: 'D1:ts-1',
      userId: 'U1',
      inspectorId: '1001',
      channel: 'D1',
      ts: 'ts-1',
      scope: { kind: 'vdn' },
      page: 0,
      openedAt: Date.now(),
    });
    const abort = new AbortController();
    const run = new Keeper(deps, { rescanMs: 20, runMs: 30_000 }).run(abort.signal);
    try {
      await until('subscribed', () => gateway.calls.some((c) => c.method === 'beginMonitor'));
      queue.push({
        type: 'QC_AgentState_Notify',
        workNo: '1001',
        content: { subtype: 'QC_AgentState_Active', monitoredagent: '2002', caller: '13900001234' },
      });
      await until('the floor redrawn with 2002 talking', () =>
        notifier.floors.some((f) => f.view.floor.agents.get('2002')?.state === 'talking'),
      );
      expect(queue).toHaveLength(0);
      // Never stored for the thread: no event sequence number was taken for it.
      expect((await store.getSession('1001'))?.eventSeq).toBe(0);
      expect(notifier.replies).toEqual([]);
    } finally {
      abort.abort();
      await run;
    }
  });
});
