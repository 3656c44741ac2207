import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GW, type Harness, harness, type TestClient, types } from './helpers';

let h: Harness;
let c: TestClient;
let g1: string; // inspector 1001 (QC)
let g2: string; // inspector 1002 (no QC)
let g3: string; // inspector 1003 (QC)

beforeEach(async () => {
  h = await harness();
  c = h.client;
  g1 = await c.signIn('1001');
  g2 = await c.signIn('1002');
  g3 = await c.signIn('1003');
  for (const id of ['1001', '1002', '1003', '2005', '2006']) h.run.sim.takeEvents(id);
});
afterEach(async () => {
  await h.close();
});

const qc = (method: string, path: string, guid: string | undefined) =>
  c.gw(method, `/qualitycontrol${path}`, { guid });
const ev = (id: string) => h.run.sim.takeEvents(id);
const OK = { message: '', retcode: '0', result: {} };

describe('listen / insert / whisper', () => {
  it.each([
    ['listen', 'PUT', '/1001/addsupervise/2005', 8, 'addSupervise'],
    ['insert', 'PUT', '/1001/addinsert/2005', 9, 'addInsert'],
    ['whisper', 'POST', '/1001/requestwhisperagent?whisperagentid=2005', 20172, 'requestWhisperAgent'],
  ] as const)(
    '%s: success body, inspector and target events, state',
    async (mode, method, path, qcType, logName) => {
      const r = await qc(method, path, g1);
      expect(r.json).toEqual(OK);
      const insp = ev('1001');
      expect(types(insp)).toEqual(['AgentState_Busy', 'AgentOther_PhoneAlerting', 'AgentOther_PhoneOffhook']);
      expect(insp[2]?.content).toEqual({ type: 'main' });
      expect(insp.every((e) => e.workNo === '1001')).toBe(true);
      expect(ev('2005')).toEqual([
        {
          eventType: 'AgentOther_BeQcStart',
          eventGenTime: expect.any(Number),
          workNo: '2005',
          content: { qcType, qcAgentId: 1001 },
        },
      ]);
      expect(h.run.sim.agent('1001')).toMatchObject({
        monitoring: { target: '2005', mode },
        state: 7,
        isWorking: true,
      });
      expect(h.run.sim.agent('2005')?.monitoredBy).toEqual([{ inspector: '1001', mode }]);
      const st = await c.gw('GET', '/onlineagent/1001/agentstatus', { guid: g1 });
      expect(st.json.result).toEqual({ agentState: 7, isWorking: true });
      expect(h.run.sim.requestLog.at(-2)?.logName).toBe(logName);
    },
  );

  it('lets two inspectors monitor the same agent', async () => {
    expect((await qc('PUT', '/1001/addsupervise/2005', g1)).json.retcode).toBe('0');
    expect((await qc('POST', '/1003/requestwhisperagent?whisperagentid=2005', g3)).json.retcode).toBe('0');
    expect(h.run.sim.agent('2005')?.monitoredBy).toHaveLength(2);
  });
});

describe('cancel, stop whisper, switch', () => {
  it('cancel (DELETE /{workNo}) ends listen: PhoneRelease + Ready; BeQcStop to the target', async () => {
    await qc('PUT', '/1001/addsupervise/2005', g1);
    ev('1001');
    ev('2005');
    expect((await qc('DELETE', '/1001/2005', g1)).json).toEqual(OK);
    const insp = ev('1001');
    expect(types(insp)).toEqual(['AgentOther_PhoneRelease', 'AgentState_Ready']);
    expect(insp[0]?.content).toEqual({ phoneState: 3 });
    expect(ev('2005').map((e) => [e.eventType, e.content])).toEqual([
      ['AgentOther_BeQcStop', { qcType: 8, qcAgentId: 1001 }],
    ]);
    expect(h.run.sim.agent('1001')).toMatchObject({ monitoring: null, state: 4 });
    expect(h.run.sim.requestLog.at(-1)?.logName).toBe('stopSuperviseOrInsert');
    expect((await qc('DELETE', '/1001/2005', g1)).json.retcode).toBe('900-005');
  });

  it('cancel also ends a whisper', async () => {
    await qc('POST', '/1001/requestwhisperagent?whisperagentid=2005', g1);
    expect((await qc('DELETE', '/1001/2005', g1)).json.retcode).toBe('0');
  });

  it('stop whisper needs a whisper on that agent', async () => {
    await qc('PUT', '/1001/addsupervise/2005', g1);
    expect((await qc('POST', '/1001/requeststopwhisperagent?whisperagentid=2005', g1)).json.retcode).toBe(
      '900-005',
    );
    await qc('POST', '/1001/requestswitchinsertwhisperagent?whisperagentid=2005&switchtype=2', g1);
    ev('2005');
    ev('1001');
    expect((await qc('POST', '/1001/requeststopwhisperagent?whisperagentid=2005', g1)).json).toEqual(OK);
    expect(types(ev('1001'))).toEqual(['AgentOther_PhoneRelease', 'AgentState_Ready']);
    expect(ev('2005').map((e) => e.content)).toEqual([{ qcType: 20172, qcAgentId: 1001 }]);
    expect(h.run.sim.requestLog.at(-1)?.logName).toBe('requestStopWhisperAgent');
  });

  it('switch toggles listen ⇄ insert with BeQcStart of the new type; refuses a whisper', async () => {
    await qc('PUT', '/1001/addsupervise/2005', g1);
    ev('2005');
    expect((await qc('POST', '/1001/switch/2005', g1)).json).toEqual(OK);
    expect(h.run.sim.agent('1001')?.monitoring?.mode).toBe('insert');
    expect((await qc('POST', '/1001/switch/2005', g1)).json.retcode).toBe('0');
    expect(h.run.sim.agent('1001')?.monitoring?.mode).toBe('listen');
    expect(ev('2005').map((e) => [e.eventType, e.content])).toEqual([
      ['AgentOther_BeQcStart', { qcType: 9, qcAgentId: 1001 }],
      ['AgentOther_BeQcStart', { qcType: 8, qcAgentId: 1001 }],
    ]);
    expect(h.run.sim.requestLog.at(-1)?.logName).toBe('switchSuperviseOrInsert');
    await qc('POST', '/1001/requestswitchinsertwhisperagent?whisperagentid=2005&switchtype=2', g1);
    expect((await qc('POST', '/1001/switch/2005', g1)).json.retcode).toBe('900-005');
    expect((await qc('POST', '/1001/switch/2006', g1)).json.retcode).toBe('900-005');
  });

  it('switch type: 0 listen, 1 insert, 2 whisper; bad or missing switchtype → 000-002', async () => {
    const sw = (t: string) => qc('POST', `/1001/requestswitchinsertwhisperagent?whisperagentid=2005${t}`, g1);
    expect((await sw('&switchtype=1')).json.retcode).toBe('900-005'); // not monitoring yet
    await qc('PUT', '/1001/addsupervise/2005', g1);
    ev('2005');
    for (const [t, mode, qcType] of [
      ['1', 'insert', 9],
      ['2', 'whisper', 20172],
      ['0', 'listen', 8],
    ] as const) {
      expect((await sw(`&switchtype=${t}`)).json).toEqual(OK);
      expect(h.run.sim.agent('1001')?.monitoring?.mode).toBe(mode);
      expect(ev('2005').map((e) => e.content)).toEqual([{ qcType, qcAgentId: 1001 }]);
    }
    expect((await sw('')).json.retcode).toBe('000-002');
    expect((await sw('&switchtype=3')).json.retcode).toBe('000-002');
    expect((await sw('&switchtype=x')).json.retcode).toBe('000-002');
    expect(h.run.sim.requestLog.at(-1)?.logName).toBe('requestSwitchInsertWhisperAgent');
  });
});

describe('force busy / idle / sign-out / drop call', () => {
  it('force busy then force idle', async () => {
    expect((await qc('POST', '/1001/forcebusy/2001', g1)).json).toEqual(OK);
    expect(ev('2001').map((e) => [e.eventType, e.content])).toEqual([
      ['AgentState_SetNotReady_Success', { reason: '3' }],
    ]);
    expect(h.run.sim.agent('2001')?.state).toBe(3);
    expect((await qc('POST', '/1001/forceidle/2001', g1)).json).toEqual(OK);
    expect(types(ev('2001'))).toEqual(['AgentState_Ready']);
    expect(h.run.sim.agent('2001')?.state).toBe(4);
    expect(h.run.sim.requestLog.slice(-2).map((e) => e.logName)).toEqual(['forceBusy', 'forceIdle']);
  });

  it('force sign-out queues ShutdownService to the target and signs it out', async () => {
    const g = h.run.sim.currentGuid('2001') as string;
    expect((await qc('POST', '/1001/forcelogout/2001', g1)).json).toEqual(OK);
    expect(h.run.sim.agent('2001')).toMatchObject({ signedIn: false, state: 2 });
    const r = await c.poll('2001', g);
    expect(r.json.event).toMatchObject({
      eventType: 'AgentOther_ShutdownService',
      content: { loginTime: expect.any(String) },
    });
    expect((await c.poll('2001', g)).json.retcode).toBe('100-006');
    expect((await qc('POST', '/1001/forcelogout/2001', g1)).json.retcode).toBe('900-004');
    expect(h.run.sim.requestLog.at(-1)?.logName).toBe('forceLogOutAgent');
  });

  it('force sign-out of a monitored agent on a call releases the inspectors', async () => {
    await qc('PUT', '/1001/addsupervise/2005', g1);
    ev('1001');
    await qc('POST', '/1003/forcelogout/2005', g3);
    expect(types(ev('1001'))).toEqual(['AgentOther_PhoneRelease', 'AgentState_Ready']);
    expect(h.run.sim.snapshot().calls.map((x) => x.agentId)).not.toContain('2005');
  });

  it('forcedropcall releases a call of the VDN like a customer hang-up', async () => {
    const callId = h.run.sim.agent('2006')?.callId as string;
    await qc('PUT', '/1001/addsupervise/2006', g1);
    ev('1001');
    expect((await qc('POST', `/1003/forcedropcall/${callId}`, g3)).json).toEqual(OK);
    expect(types(ev('2006'))).toEqual([
      'AgentOther_BeQcStart',
      'AgentEvent_Customer_Release',
      'AgentEvent_Call_Release',
      'AgentOther_PhoneRelease',
      'AgentState_Ready',
    ]);
    expect(types(ev('1001'))).toEqual(['AgentOther_PhoneRelease', 'AgentState_Ready']);
    expect((await qc('POST', `/1003/forcedropcall/${callId}`, g3)).json.retcode).toBe('900-004');
    const otherVdn = h.run.sim.agent('3001')?.callId as string;
    expect((await qc('POST', `/1003/forcedropcall/${otherVdn}`, g3)).json.retcode).toBe('900-004');
    expect((await qc('POST', '/1003/forcedropcall/not-a-call', g3)).json.retcode).toBe('900-004');
    expect((await qc('POST', `/1002/forcedropcall/${otherVdn}`, g2)).json.retcode).toBe('900-002');
    expect((await qc('POST', `/1003/forcedropcall/${otherVdn}`, 'bad')).json.retcode).toBe('100-006');
    expect(h.run.sim.requestLog.at(-1)?.logName).toBe('forceDropCall');
  });
});

describe('error codes and their order', () => {
  it('100-006 first: missing, wrong or other-agent Guid', async () => {
    expect((await qc('PUT', '/1001/addsupervise/2005', undefined)).json.retcode).toBe('100-006');
    expect((await qc('PUT', '/1001/addsupervise/2005', 'x')).json.retcode).toBe('100-006');
    expect((await qc('PUT', '/1001/addsupervise/2005', g3)).json.retcode).toBe('100-006');
    expect((await qc('PUT', '/1001/addsupervise/abc', undefined)).json.retcode).toBe('100-006');
  });

  it('000-002 for a bad agent ID or a missing whisperagentid', async () => {
    expect((await qc('PUT', '/1001/addsupervise/abc', g1)).json.retcode).toBe('000-002');
    expect((await qc('POST', '/1001/requestwhisperagent', g1)).json.retcode).toBe('000-002');
    expect((await qc('POST', '/1001/requestwhisperagent?whisperagentid=20x5', g1)).json.retcode).toBe(
      '000-002',
    );
    expect((await qc('PUT', '/1002/addsupervise/abc', g2)).json.retcode).toBe('000-002'); // before 900-002
  });

  it('000-005 when the inspector targets himself (before the permission check)', async () => {
    expect((await qc('PUT', '/1001/addsupervise/1001', g1)).json.retcode).toBe('000-005');
    expect((await qc('PUT', '/1002/addinsert/1002', g2)).json.retcode).toBe('000-005');
  });

  it('900-002 without QC permission', async () => {
    for (const [m, p] of [
      ['PUT', '/1002/addsupervise/2005'],
      ['PUT', '/1002/addinsert/2005'],
      ['POST', '/1002/requestwhisperagent?whisperagentid=2005'],
      ['PUT', '/1002/intercept/2005'],
      ['POST', '/1002/forcebusy/2001'],
    ] as const)
      expect((await qc(m, p, g2)).json.retcode).toBe('900-002');
  });

  it('900-004 for an unknown, signed-out or other-VDN target', async () => {
    expect((await qc('PUT', '/1001/addsupervise/9999', g1)).json.retcode).toBe('900-004');
    await c.gw('DELETE', '/onlineagent/1003/logout', { guid: g3 });
    expect((await qc('PUT', '/1001/addsupervise/1003', g1)).json.retcode).toBe('900-004');
    expect((await qc('PUT', '/1001/addsupervise/3001', g1)).json.retcode).toBe('900-004');
    expect((await qc('POST', '/1001/forcebusy/3001', g1)).json.retcode).toBe('900-004');
  });

  it('900-005 for state errors', async () => {
    expect((await qc('PUT', '/1001/addsupervise/2001', g1)).json.retcode).toBe('900-005'); // target idle
    await qc('PUT', '/1001/addsupervise/2005', g1);
    expect((await qc('PUT', '/1001/addinsert/2006', g1)).json.retcode).toBe('900-005'); // inspector busy
    expect((await qc('PUT', '/1003/intercept/2005', g3)).json.retcode).toBe('900-005'); // not monitoring
    expect((await qc('DELETE', '/1003/2005', g3)).json.retcode).toBe('900-005');
    expect((await qc('PUT', '/1003/addsupervise/1001', g3)).json.retcode).toBe('900-005'); // monitoring ≠ on a call
    await c.gw('PUT', '/onlineagent/1003/forcelogin', { body: { password: 'simulator', status: 3 } });
    const busyGuid = h.run.sim.currentGuid('1003');
    expect((await qc('PUT', '/1003/addsupervise/2006', busyGuid)).json.retcode).toBe('900-005'); // inspector busy (3)
  });

  it('unknown paths answer HTTP 404 with retcode 000-002; bad JSON bodies 000-006', async () => {
    const r = await c.gw('PUT', '/qualitycontrol/1001/nosuchthing/2005/x', { guid: g1 });
    expect(r.status).toBe(404);
    expect(r.json).toMatchObject({ retcode: '000-002' });
    const wrongMethod = await c.gw('GET', '/qualitycontrol/1001/addsupervise/2005', { guid: g1 });
    expect(wrongMethod.status).toBe(404);
    expect((await c.call('GET', '/')).status).toBe(404);
    const bad = await c.gw('PUT', '/qualitycontrol/1001/addsupervise/2005', { guid: g1, raw: '{nope' });
    expect(bad.json.retcode).toBe('000-006');
    expect(h.run.sim.agent('1001')?.monitoring).toBeNull();
    expect(GW).toBe('/agentgateway/resource');
  });
});
