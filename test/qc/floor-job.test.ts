import { describe, expect, it } from 'vitest';
import { GatewayTimeoutError } from '../../src/gateway';
import { runFloorJob } from '../../src/qc/floor-job';
import type { Job } from '../../src/queue/jobs';
import { floorMessage } from '../../src/slack/blocks/floor';
import { noticeMessage } from '../../src/slack/blocks/notices';
import { INSPECTOR, slack, T0, TEAM, USER, world } from './core-fixtures';

/** The floor worker over in-memory fakes: what is read, posted, stored and said. */
type FloorJob = Extract<Job, { kind: 'floor' | 'floor-view' }>;
const floorJob = (extra: Partial<FloorJob> = {}): FloorJob =>
  ({
    v: 1,
    kind: 'floor',
    scope: { kind: 'vdn' },
    requestId: 'r1',
    slack,
    requestedAt: T0,
    ...extra,
  }) as FloorJob;

describe('runFloorJob: /qc floor', () => {
  it('reads once, leaves the inspector out, masks the customer number, posts in the DM, stores, links', async () => {
    const w = world();
    w.gateway.floor = [
      { workNo: INSPECTOR, status: 4 },
      { workNo: '2005', status: 7, ctiStatus: 5, callerNumber: '13900002005', callId: 'c-1' },
      { workNo: '2001', status: 4 },
    ];
    expect(await runFloorJob(w.deps, floorJob())).toBe('opened:dm');
    expect(w.gateway.made()).toEqual(['allAgentStatus()']);
    const [posted] = w.notifier.floors;
    expect([...(posted?.view.floor.agents.keys() ?? [])].sort()).toEqual(['2001', '2005']);
    const shown = JSON.stringify(floorMessage(posted?.view ?? ({} as never)));
    expect(shown).toContain('•••• 2005');
    expect(shown).not.toContain('13900002005');
    const rec = await w.store.floors.getFloor(TEAM, posted?.at ?? '');
    expect(rec).toMatchObject({ userId: USER, inspectorId: INSPECTOR, page: 0, openedAt: T0 });
    const told = w.notifier.tells.map((t) => noticeMessage(t.notice).text);
    expect(told).toEqual([
      expect.stringMatching(
        /^:clipboard: The floor is in your DM with qc-slack\. It stays live for 30 minutes\.$/,
      ),
    ]);
  });

  it('an unreachable gateway: the transport failure in words; nothing posted, nothing stored', async () => {
    const w = world();
    w.gateway.answers.allAgentStatus = {
      throws: new GatewayTimeoutError('queryAllAgentStatus', 'connect', 3_000),
    };
    expect(await runFloorJob(w.deps, floorJob({ share: true }))).toMatch(/^transport:/);
    expect(w.notifier.floors).toEqual([]);
    expect(await w.store.floors.listFloors(INSPECTOR)).toEqual([]);
    const [told] = w.notifier.tells.map((t) => noticeMessage(t.notice).text);
    expect(told).toMatch(/^:warning: No floor: the gateway could not be reached: .+ Nothing was posted\.$/);
  });

  it('only force/release allowed: refused (names the admins), no gateway call', async () => {
    const w = world('none', ['force', 'release']);
    expect(await runFloorJob(w.deps, floorJob())).toBe('not-allowed');
    expect(w.gateway.made()).toEqual([]);
    expect(noticeMessage(w.notifier.tells[0]?.notice ?? { kind: 'floor-closed' }).text).toMatch(
      /you may not monitor .*<@U_ADMIN>/,
    );
  });

  it('not signed in: the QC "sign in" refusal, no gateway call', async () => {
    const w = world();
    w.store.sessions.delete(INSPECTOR);
    expect(await runFloorJob(w.deps, floorJob())).toBe('no-session');
    expect(w.gateway.made()).toEqual([]);
  });
});

describe('runFloorJob: page and Refresh', () => {
  const view = (floorId: string, extra: Partial<FloorJob> = {}) =>
    floorJob({ kind: 'floor-view', floorId, page: 2, ...extra } as Partial<FloorJob>);

  it("someone else's Home floor is not followed: closed, no read", async () => {
    const w = world();
    await w.store.floors.putFloor({
      teamId: TEAM,
      floorId: 'home:U2',
      userId: 'U2',
      inspectorId: '1003',
      scope: { kind: 'vdn' },
      page: 0,
      openedAt: T0,
    });
    expect(await runFloorJob(w.deps, view('home:U2'))).toBe('closed');
    expect(w.gateway.made()).toEqual([]);
  });

  it('Refresh of a paused message floor: redrawn live at the page, record live again', async () => {
    const w = world();
    await w.store.floors.putFloor({
      teamId: TEAM,
      floorId: 'D1:1.2',
      userId: USER,
      inspectorId: INSPECTOR,
      channel: 'D1',
      ts: '1.2',
      scope: { kind: 'vdn' },
      page: 0,
      openedAt: T0 - 3_600_000,
      pausedAt: T0 - 1_800_000,
    });
    expect(await runFloorJob(w.deps, view('D1:1.2', { refresh: true } as Partial<FloorJob>))).toBe(
      'refreshed',
    );
    expect(w.notifier.floors.map((f) => [f.at, f.view.page, f.view.paused])).toEqual([
      ['D1:1.2', 2, undefined],
    ]);
    const rec = await w.store.floors.getFloor(TEAM, 'D1:1.2');
    expect(rec).toMatchObject({ page: 2, openedAt: T0 });
    expect(rec?.pausedAt).toBeUndefined();
  });
});
