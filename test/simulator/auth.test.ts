import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock, type SimulatorOptions } from '../../simulator/index';
import { guidOf, type Harness, harness, types } from './helpers';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

async function start(opts: SimulatorOptions = {}) {
  h = await harness(opts);
  return h;
}

describe('sign-in', () => {
  it('returns the documented result and a Set-GUID header', async () => {
    const { client, run } = await start();
    const r = await client.gw('PUT', '/onlineagent/1001', {
      body: { password: 'simulator', phonenum: '70001', status: '4', releasephone: 'false', agenttype: '4' },
    });
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('application/json; charset=UTF-8');
    expect(r.headers['set-guid']).toMatch(
      /^JSESSIONID=[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.AgentGateway0$/,
    );
    expect(r.json).toEqual({
      message: '',
      retcode: '0',
      result: {
        vdnid: 1,
        workno: '1001',
        mediatype: 'TTF',
        loginTime: expect.stringMatching(/^[0-9]{13}$/),
        isForceChange: 'false',
        serverName: 'AgentGateway',
        timeRemaining: '',
      },
    });
    const guid = guidOf(r);
    expect(guid).toBe(run.sim.currentGuid('1001'));
    const st = await client.gw('GET', '/onlineagent/1001/agentstatus', { guid });
    expect(st.json).toEqual({ message: '', retcode: '0', result: { agentState: 4, isWorking: false } });
    expect(run.sim.agent('1001')).toMatchObject({ signedIn: true, mode: 'poll', state: 4, desktop: false });
  });

  it('queues InService then Ready (status 4), plus SetNotReady_Success (3) or Work (5)', async () => {
    const { client, run } = await start();
    const g1 = await client.signIn('1001');
    expect(types(await client.drain('1001', g1))).toEqual(['AgentOther_InService', 'AgentState_Ready']);
    await client.signIn('1003', { status: 3 });
    const busy = run.sim.takeEvents('1003');
    expect(types(busy)).toEqual([
      'AgentOther_InService',
      'AgentState_Ready',
      'AgentState_SetNotReady_Success',
    ]);
    expect(busy[2]?.content).toEqual({ reason: '1' });
    expect(run.sim.agent('1003')?.state).toBe(3);
    await client.signIn('1002', { status: '5' });
    expect(types(run.sim.takeEvents('1002'))).toEqual([
      'AgentOther_InService',
      'AgentState_Ready',
      'AgentState_Work',
    ]);
    expect(run.sim.agent('1002')?.state).toBe(5);
  });

  it('rejects a second sign-in with 100-002; forcelogin kicks the old session', async () => {
    const { client, run } = await start();
    const old = await client.signIn('1001');
    const again = await client.gw('PUT', '/onlineagent/1001', { body: { password: 'simulator' } });
    expect(again.json).toMatchObject({ retcode: '100-002' });
    expect(again.headers['set-guid']).toBeUndefined();
    const fresh = await client.signIn('1001', {}, true);
    expect(fresh).not.toBe(old);
    expect((await client.poll('1001', old)).json).toMatchObject({ retcode: '100-006' });
    expect((await client.gw('GET', '/onlineagent/1001/agentstatus', { guid: old })).json.retcode).toBe(
      '100-006',
    );
    expect((await client.poll('1001', fresh)).json.event.eventType).toBe('AgentOther_InService');
    expect(run.sim.requestLog.map((e) => e.logName)).toContain('forceLogin');
  });

  it('forcelogin also works when not signed in', async () => {
    const { client } = await start();
    expect(await client.signIn('1003', {}, true)).toMatch(/AgentGateway0$/);
  });

  it('answers 100-004 for an unknown agent, a wrong or an empty password; 100-001 for a missing one', async () => {
    const { client } = await start();
    const unknown = await client.gw('PUT', '/onlineagent/4242', { body: { password: 'simulator' } });
    expect(unknown.json).toMatchObject({ retcode: '100-004' });
    expect(typeof unknown.json.message).toBe('string');
    const wrong = await client.gw('PUT', '/onlineagent/1001', { body: { password: 'nope' } });
    expect(wrong.json.retcode).toBe('100-004');
    expect((await client.gw('PUT', '/onlineagent/1001', { body: { password: '' } })).json.retcode).toBe(
      '100-004',
    );
    expect((await client.gw('PUT', '/onlineagent/1001', { body: {} })).json.retcode).toBe('100-001');
    expect((await client.gw('PUT', '/onlineagent/1001', { raw: '{bad json' })).json.retcode).toBe('000-006');
    expect((await client.gw('PUT', '/onlineagent/abc', { body: { password: 'x' } })).json.retcode).toBe(
      '000-002',
    );
    const badStatus = await client.gw('PUT', '/onlineagent/1001', {
      body: { password: 'simulator', status: 9 },
    });
    expect(badStatus.json.retcode).toBe('100-011');
    const badToken = await client.gw('PUT', '/onlineagent/1001', {
      body: { password: 'simulator', callBackUri: 'http://127.0.0.1:1/cb', serviceToken: 'bad token!' },
    });
    expect(badToken.json.retcode).toBe('100-001');
    expect(unknown.status).toBe(200);
  });

  it('answers 100-006 for a missing, unknown or foreign Guid', async () => {
    const { client } = await start();
    const g = await client.signIn('1001');
    expect((await client.poll('1001', undefined)).json).toEqual({
      message: expect.any(String),
      retcode: '100-006',
      result: {},
    });
    expect((await client.poll('1001', 'nope.AgentGateway0')).json.retcode).toBe('100-006');
    expect((await client.poll('1003', g)).json.retcode).toBe('100-006');
  });
});

describe('dynamic Guid (auth mode 2)', () => {
  it('rotates after guidIntervalMs via Set-GUID on the poll; the old Guid lives 120 s from its issue', async () => {
    const clock = new FakeClock();
    const { client, run } = await start({ clock });
    const g1 = await client.signIn('1001');
    await client.drain('1001', g1);
    run.sim.advance(30_000);
    const early = await client.poll('1001', g1);
    expect(early.json.retcode).toBe('0');
    expect(guidOf(early)).toBeUndefined();

    run.sim.advance(31_000); // t = 61 s
    const rotated = await client.poll('1001', g1);
    expect(rotated.json).toEqual({ message: '', retcode: '0' });
    const g2 = guidOf(rotated);
    expect(g2).toMatch(/\.AgentGateway0$/);
    expect(g2).not.toBe(g1);
    expect(run.sim.currentGuid('1001')).toBe(g2);

    run.sim.advance(58_000); // t = 119 s: g1 still valid, no new rotation (g2 is young)
    const stillOld = await client.poll('1001', g1);
    expect(stillOld.json.retcode).toBe('0');
    expect(guidOf(stillOld)).toBeUndefined();

    run.sim.advance(1_000); // t = 120 s: g1 expired
    expect((await client.poll('1001', g1)).json.retcode).toBe('100-006');
    expect((await client.gw('GET', '/onlineagent/1001/agentstatus', { guid: g1 })).json.retcode).toBe(
      '100-006',
    );
    const ok = await client.poll('1001', g2 as string);
    expect(ok.json.retcode).toBe('0');
  });

  it('expires a Guid that is never rotated (no polls) and then signs the agent out', async () => {
    const clock = new FakeClock();
    const { client, run } = await start({ clock, heartbeatTimeoutMs: 300_000 });
    const g = await client.signIn('1001');
    run.sim.advance(120_000);
    expect((await client.gw('GET', '/onlineagent/1001/agentstatus', { guid: g })).json.retcode).toBe(
      '100-006',
    );
  });

  it('updateGuid returns a new Guid in the body; both stay valid', async () => {
    const { client } = await start({ clock: new FakeClock() });
    const g1 = await client.signIn('1001');
    const r = await client.gw('PUT', '/onlineagent/1001/updateGuid', { guid: g1 });
    expect(r.json).toEqual({
      message: 'success',
      retcode: '0',
      result: { guid: expect.stringMatching(/AgentGateway0$/) },
    });
    const g2 = r.json.result.guid as string;
    expect(g2).not.toBe(g1);
    for (const g of [g1, g2]) expect((await client.poll('1001', g)).json.retcode).toBe('0');
    expect((await client.gw('PUT', '/onlineagent/1001/updateGuid', { guid: 'x' })).json.retcode).toBe(
      '100-006',
    );
  });
});

describe('static Guid (auth mode 1)', () => {
  it('never rotates nor expires while the session lives', async () => {
    const clock = new FakeClock();
    const { client, run } = await start({ clock, authMode: 1 });
    const g = await client.signIn('1001');
    for (let i = 0; i < 10; i++) {
      run.sim.advance(61_000);
      const r = await client.poll('1001', g);
      expect(r.json.retcode).toBe('0');
      expect(guidOf(r)).toBeUndefined();
    }
    const u = await client.gw('PUT', '/onlineagent/1001/updateGuid', { guid: g });
    expect(u.json.result.guid).toBe(g);
    await client.gw('DELETE', '/onlineagent/1001/logout', { guid: g });
    expect((await client.poll('1001', g)).json.retcode).toBe('100-006');
  });
});

describe('heartbeat', () => {
  it('signs out after heartbeatTimeoutMs without a poll; ShutdownService is read once, then 100-006', async () => {
    const clock = new FakeClock();
    const { client, run } = await start({ clock });
    const g = await client.signIn('1001');
    const loginTime = run.sim.agent('1001')?.loginTime;
    await client.drain('1001', g);
    run.sim.advance(119_999);
    expect(run.sim.agent('1001')?.signedIn).toBe(true);
    run.sim.advance(1);
    expect(run.sim.agent('1001')).toMatchObject({ signedIn: false, state: 2 });
    const last = await client.poll('1001', g);
    expect(last.json).toEqual({
      message: '',
      retcode: '0',
      event: {
        eventType: 'AgentOther_ShutdownService',
        eventGenTime: clock.now(),
        workNo: '1001',
        content: { loginTime: String(loginTime) },
      },
    });
    expect((await client.poll('1001', g)).json.retcode).toBe('100-006');
    // the agent can sign in again
    expect(await client.signIn('1001')).not.toBe(g);
  });

  it('still delivers ShutdownService when time passes second by second (Guid expired before the sign-out)', async () => {
    const clock = new FakeClock();
    const { client, run } = await start({ clock });
    let g = await client.signIn('1001');
    await client.drain('1001', g);
    for (let t = 0; t < 100; t++) {
      run.sim.advance(1_000);
      if (t % 10 === 0) g = guidOf(await client.poll('1001', g)) ?? g; // last poll at 91 s
    }
    for (let t = 0; t < 150; t++) run.sim.advance(1_000); // the Guid expires, then the heartbeat
    expect(run.sim.agent('1001')?.signedIn).toBe(false);
    expect((await client.poll('1001', g)).json.event?.eventType).toBe('AgentOther_ShutdownService');
    expect((await client.poll('1001', g)).json.retcode).toBe('100-006');
  });

  it('forgets old Guids: a poller running for an hour holds a bounded number of them', async () => {
    const clock = new FakeClock();
    const { client, run } = await start({ clock });
    const desktop = run.sim.guids.size;
    let g = await client.signIn('1001');
    for (let t = 0; t < 120; t++) {
      run.sim.advance(30_000);
      g = guidOf(await client.poll('1001', g)) ?? g;
    }
    expect(run.sim.agent('1001')?.signedIn).toBe(true);
    expect(run.sim.guids.size - desktop).toBeLessThanOrEqual(6);
  });

  it('polls and handshakes keep the session alive; handshake rotates the Guid', async () => {
    const clock = new FakeClock();
    const { client, run } = await start({ clock });
    let g = await client.signIn('1001');
    for (let i = 0; i < 5; i++) {
      run.sim.advance(61_000);
      const hs = await client.gw('POST', '/onlineagent/1001/handshake', { guid: g });
      expect(hs.json).toEqual({ message: 'success', retcode: '0' });
      const next = guidOf(hs);
      expect(next).toBeDefined();
      g = next as string;
    }
    expect(run.sim.agent('1001')?.signedIn).toBe(true);
    expect((await client.gw('POST', '/onlineagent/1001/handshake', { guid: 'bad' })).json.retcode).toBe(
      '100-006',
    );
  });

  it('desktop agents of the scenario never time out', async () => {
    const { run } = await start({ clock: new FakeClock() });
    run.sim.advance(3_600_000);
    expect(run.sim.agent('2001')).toMatchObject({ signedIn: true, desktop: true });
  });
});

describe('sign-out', () => {
  it('logout: refused with 100-010 while monitoring; then success without ShutdownService', async () => {
    const { client, run } = await start();
    const g = await client.signIn('1001');
    await client.drain('1001', g);
    expect((await client.gw('PUT', '/qualitycontrol/1001/addsupervise/2005', { guid: g })).json.retcode).toBe(
      '0',
    );
    expect((await client.gw('DELETE', '/onlineagent/1001/logout', { guid: g })).json.retcode).toBe('100-010');
    await client.gw('DELETE', '/qualitycontrol/1001/2005', { guid: g });
    await client.drain('1001', g);
    const out = await client.gw('DELETE', '/onlineagent/1001/logout', { guid: g });
    expect(out.json).toEqual({ message: 'success', retcode: '0', result: {} });
    expect(run.sim.agent('1001')?.signedIn).toBe(false);
    expect((await client.poll('1001', g)).json.retcode).toBe('100-006');
    expect((await client.gw('DELETE', '/onlineagent/1001/logout', { guid: g })).json.retcode).toBe('100-006');
  });

  it('forcelogout signs out while monitoring: the relation ends, ShutdownService is queued', async () => {
    const { client, run } = await start();
    const g = await client.signIn('1001');
    await client.drain('1001', g);
    await client.gw('PUT', '/qualitycontrol/1001/addsupervise/2005', { guid: g });
    await client.drain('1001', g);
    run.sim.takeEvents('2005');
    const r = await client.gw('DELETE', '/onlineagent/1001/forcelogout', { guid: g });
    expect(r.json).toEqual({ message: 'success', retcode: '0', result: {} });
    expect(run.sim.agent('1001')?.signedIn).toBe(false);
    expect(run.sim.agent('2005')?.monitoredBy).toEqual([]);
    expect(types(run.sim.takeEvents('2005'))).toEqual(['AgentOther_BeQcStop']);
    expect(types(await client.drain('1001', g))).toContain('AgentOther_ShutdownService');
  });

  it('forcelogout of an agent on a call releases the call', async () => {
    const { client, run } = await start();
    const g = await client.signIn('2005', {}, true); // kicks the desktop session (its call is released)
    expect(run.sim.agent('2005')?.callId).toBeNull();
    const { callId } = run.sim.startCall('2005');
    await client.drain('2005', g);
    await client.gw('DELETE', '/onlineagent/2005/forcelogout', { guid: g });
    expect(run.sim.snapshot().calls.find((c) => c.callId === callId)).toBeUndefined();
    expect(types(await client.drain('2005', g))).toEqual([
      'AgentEvent_Call_Release',
      'AgentOther_PhoneRelease',
      'AgentOther_ShutdownService',
    ]);
  });
});
