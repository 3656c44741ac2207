/**
 * What one-click take-over needs (issue 15 item 3): after listen/insert/whisper the inspector's phone rings
 * and is answered (AgentOther_PhoneOffhook). `/sim/phone` makes it answer later or never; another
 * inspector can intercept first through the normal API.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock, type GatewayEvent } from '../../simulator/index';
import { type Harness, harness, types } from './helpers';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

async function start(): Promise<{ g1: string; g3: string }> {
  h = await harness({ clock: new FakeClock(), authMode: 1, heartbeatTimeoutMs: 3_600_000 });
  const g1 = await h.client.signIn('1001');
  const g3 = await h.client.signIn('1003', { phonenum: '70003' });
  await h.client.drain('1001', g1);
  await h.client.drain('1003', g3);
  h.run.sim.takeEvents('2005');
  return { g1, g3 };
}

const listen = (id: string, g: string, target = '2005') =>
  h.client.gw('PUT', `/qualitycontrol/${id}/addsupervise/${target}`, { guid: g });
const intercept = (id: string, g: string, target = '2005') =>
  h.client.gw('PUT', `/qualitycontrol/${id}/intercept/${target}`, { guid: g });
const phone = (body: unknown) => h.client.call('POST', '/sim/phone', { body });
const advance = (ms: number) => h.client.call('POST', '/sim/clock/advance', { body: { ms } });
const agentTypes = (id: string) => types(h.run.sim.takeEvents(id));

describe('the inspector phone', () => {
  it('answers at once by default: Busy, PhoneAlerting, PhoneOffhook; the agent gets BeQcStart', async () => {
    const { g1 } = await start();
    expect((await h.client.call('GET', '/sim/phone')).json).toEqual({
      default: { answerAfterMs: 0 },
      agents: {},
    });
    expect((await listen('1001', g1)).json.retcode).toBe('0');
    expect(types(await h.client.drain('1001', g1))).toEqual([
      'AgentState_Busy',
      'AgentOther_PhoneAlerting',
      'AgentOther_PhoneOffhook',
    ]);
    expect(agentTypes('2005')).toEqual(['AgentOther_BeQcStart']);
    expect(h.run.sim.agent('1001')?.phone).toBe('offhook');
  });

  it('never answers: no PhoneOffhook, no BeQcStart, intercept is 900-005; cancel releases the phone', async () => {
    const { g1 } = await start();
    const set = await phone({ agentId: '1001', answerAfterMs: null });
    expect(set.json).toEqual({ default: { answerAfterMs: 0 }, agents: { '1001': { answerAfterMs: null } } });
    expect((await listen('1001', g1)).json.retcode).toBe('0');
    await advance(600_000);
    expect(types(await h.client.drain('1001', g1))).toEqual(['AgentState_Busy', 'AgentOther_PhoneAlerting']);
    expect(h.run.sim.agent('1001')).toMatchObject({ phone: 'ringing', state: 7 });
    expect(agentTypes('2005')).toEqual([]);
    expect((await intercept('1001', g1)).json.retcode).toBe('900-005');
    expect((await h.client.gw('POST', '/qualitycontrol/1001/switch/2005', { guid: g1 })).json.retcode).toBe(
      '900-005',
    );
    expect((await h.client.gw('DELETE', '/qualitycontrol/1001/2005', { guid: g1 })).json.retcode).toBe('0');
    expect(types(await h.client.drain('1001', g1))).toEqual(['AgentOther_PhoneRelease', 'AgentState_Ready']);
    expect(agentTypes('2005')).toEqual([]); // it never heard BeQcStart, so no BeQcStop
    expect(h.run.sim.agent('1001')).toMatchObject({ phone: null, state: 4 });
  });

  it('answers after N ms of the simulator clock; then intercept works', async () => {
    const { g1 } = await start();
    await phone({ agentId: '1001', answerAfterMs: 5_000 });
    const t0 = h.run.sim.now();
    await listen('1001', g1);
    await advance(4_999);
    expect(types(await h.client.drain('1001', g1))).toEqual(['AgentState_Busy', 'AgentOther_PhoneAlerting']);
    expect((await intercept('1001', g1)).json.retcode).toBe('900-005');
    await advance(1);
    const after = await h.client.drain('1001', g1);
    expect(types(after)).toEqual(['AgentOther_PhoneOffhook']);
    expect(after[0]?.eventGenTime).toBe(t0 + 5_000);
    expect(agentTypes('2005')).toEqual(['AgentOther_BeQcStart']);
    expect((await intercept('1001', g1)).json.retcode).toBe('0');
  });

  it('the default setting applies to every phone without its own; POST /sim/phone/answer picks one up', async () => {
    const { g1, g3 } = await start();
    await phone({ answerAfterMs: null });
    await listen('1001', g1);
    await listen('1003', g3);
    const answer = await h.client.call('POST', '/sim/phone/answer', { body: { agentId: '1003' } });
    expect(answer.json).toEqual({ ok: true });
    expect(types(await h.client.drain('1003', g3))).toContain('AgentOther_PhoneOffhook');
    expect(types(await h.client.drain('1001', g1))).not.toContain('AgentOther_PhoneOffhook');
    const again = await h.client.call('POST', '/sim/phone/answer', { body: { agentId: '1003' } });
    expect(again.status).toBe(400);
    expect(again.json.error).toMatch(/not ringing/);
  });

  it('rejects bad settings and unknown agents; DELETE and /sim/reset go back to answering at once', async () => {
    await start();
    expect((await phone({ agentId: '1001', answerAfterMs: -1 })).status).toBe(400);
    expect((await phone({ agentId: '1001' })).status).toBe(400);
    expect((await phone({ agentId: '9999', answerAfterMs: 0 })).status).toBe(404);
    await phone({ agentId: '1001', answerAfterMs: null });
    expect((await h.client.call('DELETE', '/sim/phone')).json.agents).toEqual({});
    await phone({ answerAfterMs: null });
    await h.client.call('POST', '/sim/reset');
    expect((await h.client.call('GET', '/sim/phone')).json.default).toEqual({ answerAfterMs: 0 });
  });
});

describe('someone else takes the call first (the normal API)', () => {
  it('while 1001 waits for its phone, 1003 intercepts: 1001 gets PhoneRelease + Ready, its intercept is 900-005', async () => {
    const { g1, g3 } = await start();
    await phone({ agentId: '1001', answerAfterMs: 10_000 });
    await listen('1001', g1);
    await listen('1003', g3);
    expect((await intercept('1003', g3)).json.retcode).toBe('0');
    const e1 = await h.client.drain('1001', g1);
    expect(types(e1)).toEqual([
      'AgentState_Busy',
      'AgentOther_PhoneAlerting',
      'AgentOther_PhoneRelease',
      'AgentState_Ready',
    ]);
    await advance(10_000); // the phone would have answered now: nothing happens, the relation is gone
    expect(await h.client.drain('1001', g1)).toEqual([]);
    expect((await intercept('1001', g1)).json.retcode).toBe('900-005');
    expect(h.run.sim.snapshot().calls.find((c) => c.agentId === '2005')).toMatchObject({
      owner: '1003',
      intercepted: true,
    });
  });
});

describe('take-over of a traffic call', () => {
  it('a call that still rings cannot be listened to (900-005)', async () => {
    const { g1 } = await start();
    h.run.sim.traffic.set({ on: true, callsPerMinute: 60, ringSeconds: 600 });
    let ringing: string | undefined;
    for (let i = 0; i < 60 && !ringing; i++) {
      await advance(1_000);
      ringing = h.run.sim.snapshot().calls.find((c) => c.answeredAt === undefined)?.owner;
    }
    expect(ringing).toBeDefined();
    expect((await listen('1001', g1, ringing as string)).json.retcode).toBe('900-005');
  });

  it('the customer later hangs up on the inspector; the agent stays idle (no wrap-up)', async () => {
    const { g1 } = await start();
    h.run.sim.traffic.set({ on: true, callsPerMinute: 30, meanTalkSeconds: 120, seed: 5 });
    let target: string | undefined;
    for (let i = 0; i < 120 && !target; i++) {
      await advance(1_000);
      target = h.run.sim
        .snapshot()
        .calls.find(
          (c) =>
            c.answeredAt !== undefined && /^20/.test(c.owner) && c.owner !== '2005' && c.owner !== '2006',
        )?.owner;
    }
    expect(target).toBeDefined();
    const t = target as string;
    expect((await listen('1001', g1, t)).json.retcode).toBe('0');
    expect((await intercept('1001', g1, t)).json.retcode).toBe('0');
    h.run.sim.traffic.set({ on: false });
    h.run.sim.takeEvents(t);
    await h.client.drain('1001', g1);
    await advance(1_800_000);
    const e1: GatewayEvent[] = await h.client.drain('1001', g1);
    expect(types(e1)).toEqual([
      'AgentEvent_Customer_Release',
      'AgentEvent_Call_Release',
      'AgentOther_PhoneRelease',
      'AgentState_Ready',
    ]);
    expect(agentTypes(t)).toEqual([]);
    expect(h.run.sim.agent(t)?.state).toBe(4);
  });
});
