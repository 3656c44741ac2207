import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../simulator/index';
import { type Harness, harness, type TestClient, types } from './helpers';

let h: Harness;
let c: TestClient;
let g1: string;
let g3: string;

beforeEach(async () => {
  h = await harness({ clock: new FakeClock() });
  c = h.client;
  g1 = await c.signIn('1001');
  g3 = await c.signIn('1003');
  for (const id of ['1001', '1003', '2005']) h.run.sim.takeEvents(id);
});
afterEach(async () => {
  await h.close();
});

const qc = (method: string, path: string, guid: string) => c.gw(method, `/qualitycontrol${path}`, { guid });
const ev = (id: string) => h.run.sim.takeEvents(id);

describe('intercept', () => {
  it('moves the call to the inspector with the documented events; other monitors are released', async () => {
    const callId = h.run.sim.agent('2005')?.callId as string;
    const call = h.run.sim.snapshot().calls.find((x) => x.callId === callId);
    await qc('PUT', '/1001/addsupervise/2005', g1);
    await qc('POST', '/1003/requestwhisperagent?whisperagentid=2005', g3);
    ev('1001');
    ev('1003');
    ev('2005');

    const r = await qc('PUT', '/1001/intercept/2005', g1);
    expect(r.json).toEqual({ message: '', retcode: '0', result: {} });

    const insp = await c.drain('1001', g1); // over HTTP
    expect(types(insp)).toEqual(['AgentEvent_Talking', 'AgentMediaEvent_Record']);
    expect(insp[0]?.content).toEqual({
      caller: call?.caller,
      callid: callId,
      called: call?.called,
      feature: '7',
      type: 'main',
      mediaAbility: '1',
    });
    expect(insp[1]?.content).toEqual({
      taskId: expect.any(Number),
      caller: call?.caller,
      recordID: expect.stringMatching(/^Yc1v6a1001d[0-9]{8}t[0-9]{7}$/),
      called: call?.called,
      locationId: '256',
      fileName: expect.stringMatching(/^Y:\/6\/0\/[0-9]{8}\/1001\/[0-9]{7}\.V3$/),
      fileMediaType: '1',
      callId,
    });
    expect((insp[1]?.content as { fileName?: string } | undefined)?.fileName).toBe(
      'Y:/6/0/20241125/1001/0900000.V3',
    );

    const agent = ev('2005');
    expect(types(agent)).toEqual([
      'AgentState_Ready',
      'AgentOther_PhoneRelease',
      'AgentEvent_Call_Release',
      'AgentEvent_Customer_Release',
    ]);
    expect(agent[1]?.content).toEqual({ phoneState: 3 });
    expect(agent[2]?.content).toBe(callId);
    expect(agent[3]?.content).toEqual({ callid: callId, number: call?.caller });

    expect(types(ev('1003'))).toEqual(['AgentOther_PhoneRelease', 'AgentState_Ready']);
    const snap = h.run.sim.snapshot();
    expect(snap.calls.find((x) => x.callId === callId)).toMatchObject({
      owner: '1001',
      agentId: '2005',
      intercepted: true,
    });
    expect(h.run.sim.agent('1001')).toMatchObject({ state: 7, callId, monitoring: null });
    expect(h.run.sim.agent('1003')).toMatchObject({ state: 4, monitoring: null });
    expect(h.run.sim.agent('2005')).toMatchObject({ state: 4, callId: null, monitoredBy: [] });
    const st = await c.gw('GET', '/onlineagent/1001/agentstatus', { guid: g1 });
    expect(st.json.result).toEqual({ agentState: 7, isWorking: true });
    expect((await c.gw('DELETE', '/onlineagent/1001/logout', { guid: g1 })).json.retcode).toBe('100-010');
  });

  it('PUT /intercept/{workNo}/{callId} checks the call ID', async () => {
    const callId = h.run.sim.agent('2005')?.callId as string;
    await qc('PUT', '/1001/addinsert/2005', g1);
    expect((await qc('PUT', '/1001/intercept/2005/1111111111-1', g1)).json.retcode).toBe('900-005');
    expect((await qc('PUT', '/1001/intercept/2005/garbage', g1)).json.retcode).toBe('900-005');
    expect((await qc('PUT', `/1001/intercept/2005/${callId}`, g1)).json.retcode).toBe('0');
    expect(h.run.sim.requestLog.at(-1)?.logName).toBe('intercept');
  });

  it('endCall after an intercept releases the inspector', async () => {
    await qc('PUT', '/1001/addsupervise/2005', g1);
    await qc('PUT', '/1001/intercept/2005', g1);
    ev('1001');
    h.run.sim.endCall('2005');
    expect(types(ev('1001'))).toEqual([
      'AgentEvent_Customer_Release',
      'AgentEvent_Call_Release',
      'AgentOther_PhoneRelease',
      'AgentState_Ready',
    ]);
    expect(h.run.sim.agent('1001')).toMatchObject({ state: 4, callId: null });
    expect(() => h.run.sim.endCall('2005')).toThrow(/not on a call/);
  });
});

describe('calls', () => {
  it('endCall of a monitored agent: the agent and its inspectors are released', async () => {
    await qc('PUT', '/1001/addsupervise/2005', g1);
    ev('1001');
    ev('2005');
    h.run.sim.endCall('2005');
    const agent = ev('2005');
    expect(types(agent)).toEqual([
      'AgentEvent_Customer_Release',
      'AgentEvent_Call_Release',
      'AgentOther_PhoneRelease',
      'AgentState_Ready',
    ]);
    expect(types(ev('1001'))).toEqual(['AgentOther_PhoneRelease', 'AgentState_Ready']);
    expect(h.run.sim.agent('1001')?.monitoring).toBeNull();
    expect(h.run.sim.agent('2005')?.state).toBe(4);
  });

  it('startCall makes an idle agent talk, with an eventGenTime from the clock', async () => {
    const { callId } = h.run.sim.startCall('2001', { caller: '555', called: '10010' });
    expect(callId).toBe(`1732525200-${callId.split('-')[1]}`);
    const e = ev('2001');
    expect(types(e)).toEqual(['AgentEvent_Ringing', 'AgentEvent_Talking']);
    expect(e[0]?.eventGenTime).toBe(1_732_525_200_000);
    expect(h.run.sim.agent('2001')).toMatchObject({ state: 7, isWorking: true, callId });
    expect(() => h.run.sim.startCall('2001')).toThrow(/already on call/);
    expect(() => h.run.sim.startCall('1002')).toThrow(/not signed in/);
    expect(() => h.run.sim.startCall('4242')).toThrow(/unknown agent/);
  });
});
