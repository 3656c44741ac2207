import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../simulator/index';
import { type Harness, harness } from './helpers';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

describe('/sim control API', () => {
  it('GET /sim/state: agents, calls, no Guids or passwords', async () => {
    h = await harness();
    const g = await h.client.signIn('1001');
    await h.client.gw('PUT', '/qualitycontrol/1001/addsupervise/2005', { guid: g });
    const r = await h.client.call('GET', '/sim/state');
    expect(r.status).toBe(200);
    expect(r.json.authMode).toBe(2);
    expect(r.json.vdns).toEqual([1, 2]);
    const byId = Object.fromEntries((r.json.agents as { id: string }[]).map((a) => [a.id, a]));
    expect(Object.keys(byId)).toHaveLength(24);
    expect(byId['1001']).toMatchObject({
      signedIn: true,
      mode: 'poll',
      state: 7,
      stateName: 'talking',
      monitoring: { target: '2005', mode: 'listen' },
    });
    expect(byId['2005']).toMatchObject({
      signedIn: true,
      desktop: true,
      monitoredBy: [{ inspector: '1001', mode: 'listen' }],
    });
    expect(byId['1002']).toMatchObject({ signedIn: false, state: 2, qc: false, inspector: true });
    expect(byId['3001']).toMatchObject({ vdn: 2, state: 7 });
    expect((r.json.calls as { agentId: string }[]).map((c) => c.agentId).sort()).toEqual([
      '2005',
      '2006',
      '3001',
    ]);
    expect(r.text).not.toContain(g);
    expect(r.text).not.toContain('password');
    expect(r.text).not.toMatch(/AgentGateway0/);
  });

  it('POST /sim/calls and DELETE /sim/calls/{agentId}', async () => {
    h = await harness();
    const r = await h.client.call('POST', '/sim/calls', { body: { agentId: '2001', caller: '13900000000' } });
    expect(r.status).toBe(200);
    expect(r.json.callId).toMatch(/^[0-9]+-[0-9]+$/);
    expect(h.run.sim.agent('2001')?.callId).toBe(r.json.callId);
    expect((await h.client.call('POST', '/sim/calls', { body: { agentId: '2001' } })).status).toBe(400);
    expect((await h.client.call('POST', '/sim/calls', { body: { agentId: '4242' } })).status).toBe(404);
    expect((await h.client.call('POST', '/sim/calls', { body: {} })).json.error).toMatch(/agentId/);
    expect((await h.client.call('POST', '/sim/calls', { raw: '{' })).status).toBe(400);
    const del = await h.client.call('DELETE', '/sim/calls/2001');
    expect(del.json).toEqual({ ok: true });
    expect(h.run.sim.agent('2001')?.callId).toBeNull();
    const again = await h.client.call('DELETE', '/sim/calls/2001');
    expect(again.status).toBe(400);
    expect(again.json.error).toMatch(/not on a call/);
  });

  it('GET /sim/requests with ?since; the log never holds the Guid', async () => {
    h = await harness();
    const g = await h.client.signIn('1001');
    await h.client.poll('1001', g);
    await h.client.gw('GET', '/onlineagent/1001/agentstatus', { guid: g });
    const all = await h.client.call('GET', '/sim/requests');
    expect(all.json.map((e: { logName: string }) => e.logName)).toEqual([
      'login',
      'getAgentEvent',
      'getAgentStatus',
    ]);
    expect(all.json[0]).toMatchObject({
      seq: 0,
      method: 'PUT',
      path: '/agentgateway/resource/onlineagent/1001',
      status: 200,
      retcode: '0',
      guidPresent: false,
      agentId: '1001',
    });
    expect(all.json[1]).toMatchObject({ guidPresent: true, retcode: '0' });
    expect(typeof all.json[0].at).toBe('number');
    const since = await h.client.call('GET', '/sim/requests?since=2');
    expect(since.json.map((e: { logName: string }) => e.logName)).toEqual(['getAgentStatus']);
    expect((await h.client.call('GET', '/sim/requests?since=x')).status).toBe(400);
    expect(all.text).not.toContain(g);
    expect(all.text).not.toContain('simulator"'); // no password
    expect(JSON.stringify(h.run.sim.requestLog)).not.toContain(g);
  });

  it('POST /sim/faults and DELETE /sim/faults', async () => {
    h = await harness();
    const bad = await h.client.call('POST', '/sim/faults', { body: { kind: 'explode' } });
    expect(bad.status).toBe(400);
    expect(bad.json.error).toMatch(/kind/);
    const r = await h.client.call('POST', '/sim/faults', {
      body: { interface: 'login', kind: 'status', status: 500, count: null },
    });
    expect(r.json.faults).toEqual([
      { interface: 'login', kind: 'status', status: 500, count: null, remaining: null },
    ]);
    expect((await h.client.gw('PUT', '/onlineagent/1001', { body: { password: 'simulator' } })).status).toBe(
      500,
    );
    expect((await h.client.gw('PUT', '/onlineagent/1001', { body: { password: 'simulator' } })).status).toBe(
      500,
    );
    expect((await h.client.call('DELETE', '/sim/faults')).json).toEqual({ ok: true });
    expect((await h.client.gw('PUT', '/onlineagent/1001', { body: { password: 'simulator' } })).status).toBe(
      200,
    );
  });

  it('POST /sim/clock/advance: 400 with the real clock, moves a FakeClock', async () => {
    h = await harness();
    const r = await h.client.call('POST', '/sim/clock/advance', { body: { ms: 1000 } });
    expect(r.status).toBe(400);
    expect(r.json.error).toMatch(/FakeClock/);
    await h.close();
    const clock = new FakeClock();
    h = await harness({ clock });
    await h.client.signIn('1001');
    const adv = await h.client.call('POST', '/sim/clock/advance', { body: { ms: 120_000 } });
    expect(adv.json).toEqual({ now: clock.now() });
    expect(h.run.sim.agent('1001')?.signedIn).toBe(false); // heartbeat timeout ran
    expect((await h.client.call('POST', '/sim/clock/advance', { body: { ms: -1 } })).status).toBe(400);
  });

  it('POST /sim/reset goes back to the scenario; GET /sim/events peeks; unknown → 404', async () => {
    h = await harness();
    const g = await h.client.signIn('1001');
    await h.client.gw('PUT', '/qualitycontrol/1001/addsupervise/2005', { guid: g });
    h.run.sim.injectFault({ kind: 'reset', count: 5 });
    expect(
      (await h.client.call('GET', '/sim/events/2005')).json.map((e: { eventType: string }) => e.eventType),
    ).toEqual(['AgentOther_BeQcStart']);
    expect((await h.client.call('POST', '/sim/reset')).json).toEqual({ ok: true });
    expect(h.run.sim.agent('1001')?.signedIn).toBe(false);
    expect(h.run.sim.agent('2005')?.monitoredBy).toEqual([]);
    expect(h.run.sim.faults.list()).toEqual([]);
    expect(h.run.sim.requestLog).toEqual([]);
    expect((await h.client.poll('1001', g)).json.retcode).toBe('100-006');
    const nf = await h.client.call('GET', '/sim/nothing');
    expect(nf.status).toBe(404);
    expect(nf.json.error).toMatch(/no such control endpoint/);
    expect((await h.client.call('GET', '/sim/events/4242')).status).toBe(404);
  });

  it('the in-process API mirrors it', async () => {
    h = await harness();
    const { callId } = h.run.sim.startCall('2001');
    expect(h.run.sim.snapshot().calls.map((c) => c.callId)).toContain(callId);
    h.run.sim.endCall('2001');
    expect(() => h.run.sim.advance(1)).toThrow(/FakeClock/);
    expect(h.run.sim.currentGuid('1001')).toBeUndefined();
    expect(h.run.sim.currentGuid('2001')).toMatch(/AgentGateway0$/);
    expect(h.run.sim.agent('nope')).toBeUndefined();
  });
});
