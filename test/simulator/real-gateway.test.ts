/**
 * What deployed gateways do that the documentation does not show (issue 11 item 5, from
 * /work/shared/reference/cc-gateway-real-clients.md): `//` paths, the exact empty-poll text, self-state
 * calls, floor queries, beginmonitor/endmonitor with QC_AgentState_Notify, forcerest, allagentevent.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../simulator/index';
import { GW, type Harness, harness, types } from './helpers';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

const OK_BARE = { message: '', retcode: '0' };
const ev = (id: string) => h.run.sim.takeEvents(id);

describe('what real clients send', () => {
  beforeEach(async () => {
    h = await harness();
  });

  it('accepts paths with // (base URL configured with a trailing /)', async () => {
    const r = await h.client.call('PUT', `/${GW}//onlineagent/1001`, {
      body: { password: 'simulator', phonenum: '70001' },
    });
    expect(r.json.retcode).toBe('0');
    const g = (r.headers['set-guid'] as string).slice('JSESSIONID='.length);
    const st = await h.client.call('GET', `${GW}//onlineagent//1001/agentstatus`, { guid: g });
    expect(st.json.result).toEqual({ agentState: 4, isWorking: false });
    expect(h.run.sim.requestLog.at(-1)?.logName).toBe('getAgentStatus');
  });

  it('answers an empty poll exactly {"message":"","retcode":"0"} (no event key)', async () => {
    const g = await h.client.signIn('1001');
    ev('1001');
    const r = await h.client.poll('1001', g);
    expect(r.text).toBe('{"message":"","retcode":"0"}');
  });

  it('answers an empty password like a wrong one (100-004)', async () => {
    const r = await h.client.gw('PUT', '/onlineagent/1001', { body: { password: '', phonenum: '70001' } });
    expect(r.json.retcode).toBe('100-004');
  });

  it('tolerates nulls, strings for numbers and booleans, and unknown keys in the sign-in body', async () => {
    const r = await h.client.gw('PUT', '/onlineagent/1001', {
      body: {
        password: 'simulator',
        phonenum: '70001',
        status: '4',
        releasephone: 'false',
        agenttype: '4',
        autoanswer: true,
        autoenteridle: false,
        phonelinkage: false,
        checkInMailm: false,
        ip: null,
        entryIp: null,
        vcPhoneNumber: null,
        agentid: 1001,
        pushUrl: 'http://127.0.0.1:9/cb?token=x',
      },
    });
    expect(r.json.retcode).toBe('0');
    expect(h.run.sim.agent('1001')).toMatchObject({ signedIn: true, state: 4, mode: 'poll' });
  });
});

describe('self-state calls (onlineagent/{id}/…)', () => {
  let g: string;
  beforeEach(async () => {
    h = await harness();
    g = await h.client.signIn('1001', { status: 5 });
    ev('1001');
  });
  const post = (path: string) => h.client.gw('POST', `/onlineagent/1001${path}`, { guid: g });
  const state = () => h.run.sim.agent('1001')?.state;

  it('sign-in in wrap-up, then sayfree: idle, and listening works', async () => {
    expect(state()).toBe(5);
    expect(
      (await h.client.gw('PUT', '/qualitycontrol/1001/addsupervise/2005', { guid: g })).json.retcode,
    ).toBe('900-005');
    expect((await post('/sayfree')).json).toEqual(OK_BARE);
    expect(types(ev('1001'))).toEqual(['AgentState_CancelWork_Success', 'AgentState_Ready']);
    expect(state()).toBe(4);
    expect(
      (await h.client.gw('PUT', '/qualitycontrol/1001/addsupervise/2005', { guid: g })).json.retcode,
    ).toBe('0');
  });

  it('saybusy (with a reason) / cancelbusy / work / cancelwork change the state with their events', async () => {
    expect((await post('/cancelwork')).json).toEqual(OK_BARE);
    expect(types(ev('1001'))).toEqual(['AgentState_CancelWork_Success', 'AgentState_Ready']);
    expect(state()).toBe(4);
    expect((await post('/saybusy?reason=200')).json).toEqual(OK_BARE);
    expect(ev('1001').map((e) => [e.eventType, e.content])).toEqual([
      ['AgentState_SetNotReady_Success', { reason: '200' }],
    ]);
    expect(state()).toBe(3);
    expect((await post('/cancelbusy')).json).toEqual(OK_BARE);
    expect(types(ev('1001'))).toEqual(['AgentState_CancelNotReady_Success', 'AgentState_Ready']);
    expect(state()).toBe(4);
    expect((await post('/work')).json).toEqual(OK_BARE);
    expect(types(ev('1001'))).toEqual(['AgentState_SetWork_Success', 'AgentState_Work']);
    expect(state()).toBe(5);
  });

  it('rest/{time}/{cause} and cancelrest; rest timeout keeps the agent resting', async () => {
    expect((await post('/rest/60/3')).json).toEqual(OK_BARE);
    expect(types(ev('1001'))).toEqual(['AgentState_SetRest_Success']);
    expect(state()).toBe(8);
    expect((await post('/rest/0/3')).json.retcode).toBe('000-002');
    expect((await post('/cancelrest')).json).toEqual(OK_BARE);
    expect(types(ev('1001'))).toEqual(['AgentState_CancelRest_Success', 'AgentState_Ready']);
    expect(state()).toBe(4);
  });

  it('resetskill/{true|false} with skillid and phonelinkage; a bad flag is 000-002', async () => {
    expect((await post('/resetskill/true?phonelinkage=1')).json).toEqual(OK_BARE);
    expect((await post('/resetskill/false?skillid=1;2&phonelinkage=0')).json).toEqual(OK_BARE);
    expect((await post('/resetskill/maybe')).json.retcode).toBe('000-002');
    expect((await post('/resetskill/true?skillid=a;b')).json.retcode).toBe('000-002');
  });

  it('needs the Guid (100-006)', async () => {
    expect((await h.client.gw('POST', '/onlineagent/1001/sayfree', { guid: 'nope' })).json.retcode).toBe(
      '100-006',
    );
  });
});

describe('rest timeout', () => {
  it('AgentState_Rest_Timeout after the rest time; the agent stays in rest', async () => {
    h = await harness({ clock: new FakeClock() });
    const g = await h.client.signIn('1001');
    ev('1001');
    await h.client.gw('POST', '/onlineagent/1001/rest/30/0', { guid: g });
    ev('1001');
    h.run.sim.advance(29_000);
    expect(ev('1001')).toEqual([]);
    h.run.sim.advance(1_000);
    expect(types(ev('1001'))).toEqual(['AgentState_Rest_Timeout']);
    expect(h.run.sim.agent('1001')?.state).toBe(8);
  });
});

describe('floor queries', () => {
  let g: string;
  beforeEach(async () => {
    h = await harness();
    g = await h.client.signIn('1001');
    ev('1001');
  });

  it('agentgroup/{id}/iscensor: result is a boolean (trailing / accepted)', async () => {
    expect((await h.client.gw('GET', '/agentgroup/1001/iscensor/', { guid: g })).json).toEqual({
      message: '',
      retcode: '0',
      result: true,
    });
    const g2 = await h.client.signIn('1002');
    expect((await h.client.gw('GET', '/agentgroup/1002/iscensor', { guid: g2 })).json.result).toBe(false);
  });

  it('agentgroup/{id}/allagentstatus: every agent of the VDN (the caller too), strings only', async () => {
    h.run.sim.startCall('2001');
    const r = await h.client.gw('GET', '/agentgroup/1001/allagentstatus', { guid: g });
    expect(r.json.retcode).toBe('0');
    const list = r.json.result as Record<string, unknown>[];
    expect(list.map((a) => a.workno)).toContain('1001');
    expect(list.map((a) => a.workno)).not.toContain('3001');
    for (const a of list) {
      expect(Object.keys(a).sort()).toEqual(['ctiStatus', 'groupName', 'name', 'status', 'workno']);
      for (const v of Object.values(a)) expect(typeof v).toBe('string');
    }
    const by = (id: string) => list.find((a) => a.workno === id);
    expect(by('1001')).toMatchObject({ status: '4', ctiStatus: '1' });
    expect(by('1002')).toMatchObject({ status: '2', ctiStatus: '0' });
    expect(by('2001')).toMatchObject({ status: '7', ctiStatus: '5' });
  });

  it('agentgroup/{id}/onlineagentonvdn: signed-in agents of the VDN, status as a string', async () => {
    const r = await h.client.gw('GET', '/agentgroup/1001/onlineagentonvdn', { guid: g });
    const list = r.json.result as Record<string, unknown>[];
    expect(list.map((a) => a.workno)).not.toContain('1002');
    expect(list.find((a) => a.workno === '2005')).toEqual({ workno: '2005', name: '2005', status: '7' });
  });
});

describe('beginmonitor / endmonitor / allagent and QC_AgentState_Notify', () => {
  let g: string;
  beforeEach(async () => {
    h = await harness();
    g = await h.client.signIn('1001');
    ev('1001');
  });
  const qc = (method: string, path: string, guid = g) =>
    h.client.gw(method, `/qualitycontrol/1001${path}`, { guid });
  const notes = () =>
    ev('1001')
      .filter((e) => e.eventType === 'QC_AgentState_Notify')
      .map((e) => [
        (e.content as { monitoredagent: string }).monitoredagent,
        (e.content as { subtype: string }).subtype,
      ]);

  it('beginmonitor?agents=a;b: the monitor gets QC_AgentState_Notify for their state changes', async () => {
    expect((await qc('POST', '/beginmonitor?agents=2001;2002;1003')).json).toEqual({
      message: '',
      retcode: '0',
      result: {},
    });
    const { callId } = h.run.sim.startCall('2001');
    const e = h.run.sim.peekEvents('1001');
    expect(e[0]).toEqual({
      eventType: 'QC_AgentState_Notify',
      eventGenTime: expect.any(Number),
      workNo: '1001',
      content: {
        subtype: 'QC_AgentState_WaitAnswer',
        monitoredagent: '2001',
        agentname: '2001',
        mediaserver: 'CtiServer',
      },
    });
    h.run.sim.endCall('2001');
    const g3 = await h.client.signIn('1003');
    await h.client.gw('POST', '/onlineagent/1003/saybusy', { guid: g3 });
    await h.client.gw('DELETE', '/onlineagent/1003/logout', { guid: g3 });
    expect(notes()).toEqual([
      ['2001', 'QC_AgentState_WaitAnswer'],
      ['2001', 'QC_AgentState_Active'],
      ['2001', 'QC_AgentState_HungUp'],
      ['2001', 'QC_AgentState_Idle'],
      ['1003', 'QC_AgentState_Login'],
      ['1003', 'QC_AgentState_Idle'],
      ['1003', 'QC_AgentState_Busy'],
      ['1003', 'QC_AgentState_Logout'],
    ]);
    expect(callId).toBeTruthy();
  });

  it('notifies monitoring start/stop of a monitored inspector and QC of a monitored agent', async () => {
    const g3 = await h.client.signIn('1003');
    await qc('POST', '/beginmonitor?agents=1003;2005');
    await h.client.gw('PUT', '/qualitycontrol/1003/addsupervise/2005', { guid: g3 });
    await h.client.gw('DELETE', '/qualitycontrol/1003/2005', { guid: g3 });
    expect(notes()).toEqual([
      ['1003', 'QC_AgentState_Monitor'],
      ['2005', 'QC_AgentState_SuperviseInsert'],
      ['1003', 'QC_AgentState_StopMonitor'],
      ['1003', 'QC_AgentState_Idle'],
      ['2005', 'QC_AgentState_StopSuperviseInsert'],
    ]);
  });

  it('allagent lists the agents under beginmonitor; endmonitor removes them and stops the notices', async () => {
    await qc('POST', '/beginmonitor?agents=2001;2002');
    const all = await qc('GET', '/allagent');
    expect(all.json.retcode).toBe('0');
    expect((all.json.result as { workno: string }[]).map((a) => a.workno)).toEqual(['2001', '2002']);
    expect((all.json.result as Record<string, unknown>[])[0]).toEqual({
      workno: '2001',
      name: '2001',
      status: '4',
      ctiStatus: '1',
      groupName: 'default',
    });
    expect(h.run.sim.agent('1001')?.watching).toEqual(['2001', '2002']);
    expect((await qc('POST', '/endmonitor?agents=2001')).json.retcode).toBe('0');
    expect(((await qc('GET', '/allagent')).json.result as { workno: string }[]).map((a) => a.workno)).toEqual(
      ['2002'],
    );
    h.run.sim.startCall('2001');
    expect(notes()).toEqual([]);
  });

  it('checks: Guid, agents list syntax, QC permission', async () => {
    expect((await qc('POST', '/beginmonitor?agents=2001', 'nope')).json.retcode).toBe('100-006');
    expect((await qc('POST', '/beginmonitor')).json.retcode).toBe('000-002');
    expect((await qc('POST', '/beginmonitor?agents=20x1')).json.retcode).toBe('000-002');
    const g2 = await h.client.signIn('1002');
    expect(
      (await h.client.gw('POST', '/qualitycontrol/1002/beginmonitor?agents=2001', { guid: g2 })).json.retcode,
    ).toBe('900-002');
  });

  it('the relation ends with the monitor session', async () => {
    await qc('POST', '/beginmonitor?agents=2001');
    await h.client.gw('DELETE', '/onlineagent/1001/logout', { guid: g });
    const g1 = await h.client.signIn('1001');
    ev('1001');
    expect((await h.client.gw('GET', '/qualitycontrol/1001/allagent', { guid: g1 })).json.result).toEqual([]);
  });
});

describe('forcerest', () => {
  it('qualitycontrol/{id}/forcerest/{workNo}/{time}/{reason}: the agent rests', async () => {
    h = await harness();
    const g = await h.client.signIn('1001');
    const r = await h.client.gw('POST', '/qualitycontrol/1001/forcerest/2010/600/2', { guid: g });
    expect(r.json).toEqual({ message: '', retcode: '0', result: {} });
    expect(h.run.sim.agent('2010')?.state).toBe(8);
    expect(types(ev('2010'))).toEqual(['AgentState_SetRest_Success']);
    expect(
      (await h.client.gw('POST', '/qualitycontrol/1001/forcerest/2010/x/2', { guid: g })).json.retcode,
    ).toBe('000-002');
    expect(
      (await h.client.gw('POST', '/qualitycontrol/1001/forcerest/3001/60/2', { guid: g })).json.retcode,
    ).toBe('900-004');
  });
});

describe('agentevent/allagentevent', () => {
  it('answers the queued events of the Guid’s session as an array, [] when there are none', async () => {
    h = await harness();
    const g = await h.client.signIn('1001');
    const r = await h.client.gw('GET', '/agentevent/allagentevent?time=1732525200000', { guid: g });
    expect(r.json.retcode).toBe('0');
    expect(r.json.event.map((e: { eventType: string }) => e.eventType)).toEqual([
      'AgentOther_InService',
      'AgentState_Ready',
    ]);
    expect((await h.client.gw('GET', '/agentevent/allagentevent', { guid: g })).json).toEqual({
      message: '',
      retcode: '0',
      event: [],
    });
    expect((await h.client.gw('GET', '/agentevent/allagentevent', { guid: 'nope' })).json.retcode).toBe(
      '100-006',
    );
  });
});
