import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, harness, types, until } from './helpers';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

describe('event long poll', () => {
  it('returns one event per response, oldest first, in the documented envelope', async () => {
    h = await harness();
    const g = await h.client.signIn('1001');
    const r = await h.client.poll('1001', g);
    expect(r.status).toBe(200);
    expect(Object.keys(r.json)).toEqual(['message', 'retcode', 'event']);
    expect(Object.keys(r.json.event)).toEqual(['eventType', 'eventGenTime', 'workNo', 'content']);
    expect(r.json).toEqual({
      message: '',
      retcode: '0',
      event: {
        eventType: 'AgentOther_InService',
        eventGenTime: expect.any(Number),
        workNo: '1001',
        content: null,
      },
    });
    expect((await h.client.poll('1001', g)).json.event.eventType).toBe('AgentState_Ready');
  });

  it('holds an empty poll for pollHoldMs, then answers without an event', async () => {
    h = await harness({ pollHoldMs: 80 });
    const g = await h.client.signIn('1001');
    await h.client.drain('1001', g);
    const t0 = performance.now();
    const r = await h.client.poll('1001', g);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(70);
    expect(r.json).toEqual({ message: '', retcode: '0' });
  });

  it('wakes a held poll as soon as an event is queued', async () => {
    h = await harness({ pollHoldMs: 10_000 });
    const g = h.run.sim.currentGuid('2001') as string; // desktop agent, static Guid
    const t0 = performance.now();
    const pending = h.client.poll('2001', g);
    await new Promise((r) => setTimeout(r, 30));
    const { callId } = h.run.sim.startCall('2001', { caller: '13900001111' });
    const r = await pending;
    expect(performance.now() - t0).toBeLessThan(2_000);
    expect(r.json.event).toMatchObject({
      eventType: 'AgentEvent_Ringing',
      workNo: '2001',
      content: {
        caller: '13900001111',
        transfer: 'no',
        callid: callId,
        transfrom: '',
        called: '10086',
        type: 'main',
        mediaAbility: '1',
        feature: '0',
      },
    });
    const talking = await h.client.poll('2001', g);
    expect(talking.json.event).toMatchObject({
      eventType: 'AgentEvent_Talking',
      content: {
        caller: '13900001111',
        callid: callId,
        called: '10086',
        feature: '0',
        type: 'main',
        mediaAbility: '1',
      },
    });
    expect(callId).toMatch(/^[0-9]{10}-[0-9]+$/);
  });

  it('does not lose an event when the client abandons a held poll', async () => {
    h = await harness({ pollHoldMs: 10_000 });
    const g = h.run.sim.currentGuid('2002') as string;
    const ac = new AbortController();
    const abandoned = h.client.poll('2002', g, ac.signal).catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 30));
    ac.abort();
    await abandoned;
    // Wait until the server has seen the client go (the held poll is logged with status 0), not a fixed time.
    const sim = h.run.sim;
    await until(() => sim.requestLog.some((e) => e.logName === 'getAgentEvent' && e.status === 0));
    h.run.sim.startCall('2002');
    expect(types(h.run.sim.peekEvents('2002'))).toEqual(['AgentEvent_Ringing', 'AgentEvent_Talking']);
    expect((await h.client.poll('2002', g)).json.event.eventType).toBe('AgentEvent_Ringing');
  });

  it('answers a held poll with 100-006 when the session is kicked', async () => {
    h = await harness({ pollHoldMs: 10_000 });
    const g = await h.client.signIn('1001');
    h.run.sim.takeEvents('1001');
    const held = h.client.poll('1001', g);
    await new Promise((r) => setTimeout(r, 30));
    await h.client.signIn('1001', {}, true);
    expect((await held).json.retcode).toBe('100-006');
  });

  it('close() ends held polls promptly', async () => {
    h = await harness({ pollHoldMs: 60_000 });
    const g = await h.client.signIn('1001');
    await h.client.poll('1001', g);
    await h.client.poll('1001', g);
    const held = h.client.poll('1001', g).then(
      () => 'answered',
      () => 'socket closed',
    );
    await new Promise((r) => setTimeout(r, 30));
    const t0 = performance.now();
    await h.run.close();
    expect(await held).toBe('socket closed');
    expect(performance.now() - t0).toBeLessThan(1_000);
  });

  it('answers 000-001 to a poll of a push-mode session', async () => {
    h = await harness();
    const g = await h.client.signIn('1001', { callBackUri: 'http://127.0.0.1:9/cb', serviceToken: 'tok' });
    expect((await h.client.poll('1001', g)).json.retcode).toBe('000-001');
  });
});
