/**
 * The request sequences of six public CC-Gateway clients (issue 11 item 7), re-written in our own code from
 * /work/shared/reference/cc-gateway-real-clients.md: their paths, header names, cookies and body value
 * types as they send them, over HTTPS with the simulator's CA. What a real client sends, the simulator
 * accepts; what the simulator answers has the shape that client parses.
 *
 * CS = Huawei CloudIPCC_QuickAgentDemo_CSharp (2018), ZK = Zackeus com.Zackeus.CTI (2018–19),
 * ZZ = com.zz.CTI.huawei (~2018), BR = Huawei CloudIPCC_ICP_Bridge (2018), AS = Huawei
 * CloudIPCC_AgentServerDemo_Java (2018–19), AP = Huawei CloudIPCC_aPortal_JAVA (2020).
 */
import { Agent, request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultScenario, FakeClock, type SimulatorOptions } from '../../simulator/index';
import { GW, type Harness, harness, type Reply as Raw, readReply } from './helpers';

let h: Harness;
let dispatcher: Agent;
afterEach(async () => {
  await dispatcher?.close();
  await h?.close();
});

/** Every QC_AgentState_Notify subtype BR counts (CommonConstant). */
const BR_SUBTYPES = [
  'Login',
  'Logout',
  'Idle',
  'Busy',
  'Work',
  'Rest',
  'Active',
  'WaitAnswer',
  'WaitAlerting',
  'HungUp',
  'ThreeParty',
  'Mute',
  'Monitor',
  'StopMonitor',
  'SuperviseInsert',
  'StopSuperviseInsert',
  'MonitorSupervisorOther',
  'MonitorInsertCall',
  'RecordBegin',
  'RecordStop',
  'PlayVoice',
  'LiveVideoBegin',
  'LiveVideoStop',
  'MuteVideo',
  'MuteVideoAudio',
].map((s) => `QC_AgentState_${s}`);

async function start(opts: SimulatorOptions = {}): Promise<void> {
  h = await harness({ http: false, ...opts });
  dispatcher = new Agent({ connect: { ca: h.run.caPem as string } });
}

/** One raw request: `headers` as [name, value] pairs, sent as written (a name may repeat). */
async function send(method: string, url: string, headers: [string, string][], body?: string): Promise<Raw> {
  const res = await request(url, {
    method: method as 'GET',
    headers: headers.flat(),
    ...(body !== undefined ? { body } : {}),
    dispatcher,
  });
  return readReply(res);
}

const base = () => `${h.run.url}${GW}`;
const list = (v: string | string[] | undefined): string[] =>
  v === undefined ? [] : Array.isArray(v) ? v : [v];
const ev = (id: string) => h.run.sim.takeEvents(id);

describe('CS — C# QuickAgent demo', () => {
  const JSON_CT: [string, string] = ['Content-Type', 'application/json; charset=UTF-8'];
  /** CS keeps every Set-Cookie (deduplicated) and resends each as its own Cookie header, attributes and all. */
  class Cs {
    guid = '';
    cookies: string[] = [];
    async call(method: string, path: string, body?: unknown): Promise<Raw> {
      const headers: [string, string][] = [JSON_CT, ['guid', this.guid]];
      for (const c of this.cookies) headers.push(['Cookie', c]);
      const r = await send(
        method,
        `${base()}${path}`,
        headers,
        body === undefined ? undefined : JSON.stringify(body),
      );
      for (const c of list(r.headers['set-cookie'])) if (!this.cookies.includes(c)) this.cookies.push(c);
      return r;
    }
    async signIn(id: string): Promise<Raw> {
      const r = await this.call('PUT', `/onlineagent/${id}`, {
        password: 'simulator',
        phonenum: '70001',
        status: 4,
        releasephone: true,
        agenttype: 4,
        autoanswer: true,
        autoenteridle: false,
        phonelinkage: false,
        checkInMailm: false,
        ip: null,
        entryIp: null,
        vcPhoneNumber: null,
      });
      const sg = r.headers['set-guid'] as string;
      if (r.json.retcode === '0') this.guid = sg.substring(sg.indexOf('=') + 1); // adopted at sign-in only
      return r;
    }
    /** GetAgentEvents: the empty answer is compared byte-for-byte; `\u0000` padding is stripped. */
    async events(id: string): Promise<string[]> {
      const out: string[] = [];
      for (;;) {
        const r = await this.call('GET', `/agentevent/${id}`);
        if (r.text === '{"message":"","retcode":"0"}') return out;
        const parsed = JSON.parse(r.text.replaceAll('\u0000', ''));
        if (parsed.retcode !== '0') throw new Error(`CS counts a failure: ${r.text}`);
        out.push(parsed.event.eventType);
      }
    }
  }

  it('signs in with nulls, resets skills, reads iscensor and allagentstatus as strings, polls, works its states', async () => {
    await start();
    const cs = new Cs();
    const login = await cs.signIn('1001');
    expect(login.json.retcode).toBe('0');
    expect(String(login.json.result.vdnid)).toBe('1'); // declared string
    expect(login.json.result.isForceChange).toBe('false');
    expect((await cs.call('POST', '/onlineagent/1001/resetskill/true?skillid=1;2&phonelinkage=0')).text).toBe(
      '{"message":"","retcode":"0"}',
    );
    expect(String((await cs.call('GET', '/agentgroup/1001/iscensor')).json.result)).toBe('true');
    const all = await cs.call('GET', '/agentgroup/1001/allagentstatus');
    for (const a of all.json.result)
      for (const k of ['workno', 'status', 'name', 'groupName', 'ctiStatus'])
        expect(typeof a[k]).toBe('string');
    expect(await cs.events('1001')).toEqual(['AgentOther_InService', 'AgentState_Ready']);
    await cs.call('POST', '/onlineagent/1001/saybusy');
    expect((await cs.call('POST', '/onlineagent/1001/cancelbusy')).json.retcode).toBe('0'); // CS "SayFree"
    await cs.call('POST', '/onlineagent/1001/work');
    expect((await cs.call('POST', '/onlineagent/1001/cancelwork')).json.retcode).toBe('0'); // CS "enter idle"
    expect(await cs.events('1001')).toEqual([
      'AgentState_SetNotReady_Success',
      'AgentState_CancelNotReady_Success',
      'AgentState_Ready',
      'AgentState_SetWork_Success',
      'AgentState_Work',
      'AgentState_CancelWork_Success',
      'AgentState_Ready',
    ]);
    expect((await cs.call('PUT', '/qualitycontrol/1001/addsupervise/2005')).json.retcode).toBe('0');
    expect((await cs.call('DELETE', '/onlineagent/1001/forcelogout')).json.retcode).toBe('0'); // CS sign-out
    expect(h.run.sim.agent('1001')?.signedIn).toBe(false);
  });

  it('never adopts a rotated Guid: on AUTHMODE 2 its polls get 100-006 once the sign-in Guid is 120 s old', async () => {
    const clock = new FakeClock();
    await start({ clock });
    const cs = new Cs();
    await cs.signIn('1001');
    await cs.events('1001');
    h.run.sim.advance(61_000);
    const rotated = await cs.call('GET', '/agentevent/1001');
    expect(rotated.headers['set-guid']).toBeDefined(); // thrown away by CS's poll path
    h.run.sim.advance(60_000);
    expect((await cs.call('GET', '/agentevent/1001')).json.retcode).toBe('100-006');
  });
});

describe('ZK — Zackeus CTI (Java)', () => {
  /** ZK's base URL is configured with a trailing `/`: every path has a `//`. */
  const zkBase = () => `${base()}/`;
  let guid = '';
  let cookie: string | undefined;
  const call = async (method: string, path: string, body?: unknown) => {
    const headers: [string, string][] = [
      ['Content-Type', 'application/json;charset=UTF-8'],
      ['guid', guid],
    ];
    if (cookie) headers.push(['Cookie', cookie]);
    return send(method, `${zkBase()}${path}`, headers, body === undefined ? undefined : JSON.stringify(body));
  };
  /** PUT 200 only: walks the headers, keeps cookies cut at the first `;`, stops at Set-GUID. */
  const adopt = (r: Raw) => {
    if (r.status !== 200) return;
    for (const [name, value] of Object.entries(r.headers)) {
      if (name === 'set-cookie') cookie = list(value)[0]?.split(';')[0];
      if (name === 'set-guid') {
        guid = String(value).replace('JSESSIONID=', '');
        break;
      }
    }
  };
  const body = (password: string) => ({
    password,
    phonenum: '70001',
    status: 4,
    releasephone: true,
    autoanswer: true,
    autoenteridle: true,
    ip: '127.0.0.1',
  });

  it('default "" password is refused like a wrong one; 100-002 → forcelogin → resetskill; cancelwork when in wrap-up', async () => {
    await start();
    expect((await call('PUT', '/onlineagent/1001', body(''))).json.retcode).toBe('100-004');
    const first = await call('PUT', '/onlineagent/1001', body('simulator'));
    adopt(first);
    expect(first.json.retcode).toBe('0');
    expect((await call('PUT', '/onlineagent/1001', body('simulator'))).json.retcode).toBe('100-002');
    const forced = await call('PUT', '/onlineagent/1001/forcelogin', body('simulator'));
    adopt(forced);
    expect(forced.json.retcode).toBe('0');
    expect((await call('POST', '/onlineagent/1001/resetskill/true?phonelinkage=1')).json.retcode).toBe('0');
    await call('POST', '/onlineagent/1001/work');
    const st = (await call('GET', '/onlineagent/1001/agentstatus')).json.result;
    expect(st).toEqual({ agentState: 5, isWorking: false }); // Integer / Boolean
    if (st.agentState === 5)
      expect((await call('POST', '/onlineagent/1001/cancelwork')).json.retcode).toBe('0');
    expect((await call('GET', '/onlineagent/1001/agentstatus')).json.result.agentState).toBe(4);
    const events: string[] = [];
    for (
      let r = await call('GET', '/agentevent/1001');
      r.json.event;
      r = await call('GET', '/agentevent/1001')
    )
      events.push(r.json.event.eventType);
    expect(events).toContain('AgentState_CancelWork_Success');
    expect((await call('DELETE', '/onlineagent/1001/logout')).json.retcode).toBe('0');
  });
});

describe('ZZ — com.zz.CTI.huawei (Java, "For HEC")', () => {
  let guid = '';
  let cookie: string | undefined;
  const call = (method: string, path: string, body?: unknown) => {
    const headers: [string, string][] = [
      ['Content-Type', 'application/json;charset=UTF-8'],
      ['guid', guid],
    ];
    if (cookie) headers.push(['Cookie', cookie]);
    return send(method, `${base()}${path}`, headers, body === undefined ? undefined : JSON.stringify(body));
  };
  const signIn = async (password: string) => {
    const r = await call('PUT', '/onlineagent/1001', {
      password,
      phonenum: '70001',
      status: 4,
      releasephone: true,
      autoanswer: false,
      autoenteridle: true,
      ip: '127.0.0.1',
    });
    if (r.status === 200)
      for (const [name, value] of Object.entries(r.headers)) {
        if (name === 'set-cookie') cookie = list(value)[0]?.split(';')[0];
        if (name === 'set-guid') {
          guid = String(value).replace('JSESSIONID=', '');
          break;
        }
      }
    return r;
  };

  it('always sends "" (refused, 100-004); behind the ELB it keeps huaweielbsession and polls straight on', async () => {
    await start({ elbCookie: true, pollHoldMs: 40 });
    expect((await signIn('')).json.retcode).toBe('100-004');
    // The same body with the agent's password (the simulator's agents all have one).
    expect((await signIn('simulator')).json.retcode).toBe('0');
    expect(cookie).toMatch(/^huaweielbsession=[0-9a-f]+$/);
    const types: string[] = [];
    for (;;) {
      const r = await call('GET', '/agentevent/1001');
      expect(r.json.retcode).toBe('0');
      if (!r.json.event) break;
      types.push(r.json.event.eventType);
    }
    expect(types).toEqual(['AgentOther_InService', 'AgentState_Ready']);
    // ZZ re-polls at once after an empty poll: the server's hold is what keeps it from spinning.
    const t0 = performance.now();
    expect((await call('GET', '/agentevent/1001')).text).toBe('{"message":"","retcode":"0"}');
    expect(performance.now() - t0).toBeGreaterThanOrEqual(30);
  });
});

describe('BR — ICP Bridge (the monitor pattern)', () => {
  const M = '1001';
  let guid = '';
  const call = (method: string, path: string, body?: unknown) =>
    send(
      method,
      `${base()}${path}`,
      [
        ['Content-Type', 'application/json;charset=UTF-8'],
        ['guid', guid],
      ],
      body === undefined ? undefined : JSON.stringify(body),
    );

  it('forcelogin {password, phonenum} → allagentstatus → endmonitor/beginmonitor in batches of 500 → routes notices', async () => {
    const scenario = { ...defaultScenario(), extraAgents: { from: 40001, count: 600, vdn: 1 } };
    await start({ scenario });
    const login = await call('PUT', `/onlineagent/${M}/forcelogin`, {
      password: 'simulator',
      phonenum: '70001',
    });
    expect(login.json.retcode).toBe('0');
    guid = String(login.headers['set-guid']).replace('JSESSIONID=', '');
    const all = await call('GET', `/agentgroup/${M}/allagentstatus`);
    const workNos = (all.json.result as { workno: string }[]).map((a) => a.workno);
    expect(workNos).toContain(M); // BR skips itself
    const targets = workNos.filter((w) => w !== M);
    for (let i = 0; i < targets.length; i += 500) {
      const batch = targets.slice(i, i + 500).join(';');
      await call('POST', `/qualitycontrol/${M}/endmonitor?agents=${batch}`); // failures ignored
      expect((await call('POST', `/qualitycontrol/${M}/beginmonitor?agents=${batch}`)).json.retcode).toBe(
        '0',
      );
    }
    ev(M);
    h.run.sim.startCall('40001');
    h.run.sim.endCall('40001');
    const routed = new Map<string, string[]>();
    for (;;) {
      const r = await call('GET', `/agentevent/${M}`);
      expect(r.json.retcode).toBe('0');
      const e = r.json.event;
      if (!e) break;
      if (e.eventType !== 'QC_AgentState_Notify' || !e.content?.monitoredagent) continue;
      expect(BR_SUBTYPES).toContain(e.content.subtype);
      routed.set(e.content.monitoredagent, [
        ...(routed.get(e.content.monitoredagent) ?? []),
        e.content.subtype,
      ]);
    }
    expect(routed.get('40001')).toEqual([
      'QC_AgentState_WaitAnswer',
      'QC_AgentState_Active',
      'QC_AgentState_HungUp',
      'QC_AgentState_Idle',
    ]);
  });

  it('behind the ELB its cookie is unusable (":" and "=" stripped): the next call reaches another node', async () => {
    await start({ elbCookie: true });
    const login = await call('PUT', `/onlineagent/${M}/forcelogin`, {
      password: 'simulator',
      phonenum: '70001',
    });
    guid = String(login.headers['set-guid']).replace('JSESSIONID=', '');
    const broken = list(login.headers['set-cookie']).join('').replaceAll(':', '').replaceAll('=', '');
    const r = await send('GET', `${base()}/agentgroup/${M}/allagentstatus`, [
      ['guid', guid],
      ['Cookie', broken],
    ]);
    expect(r.json.retcode).toBe('100-006'); // BR then re-logs in (and loops)
  });
});

describe('AS — AgentServerDemo (Java)', () => {
  let guid = '';
  const call = (method: string, path: string, body?: unknown) =>
    send(
      method,
      `${base()}${path}`,
      [
        ['Content-Type', 'application/json; charset=UTF-8'],
        ['guid', guid],
      ],
      body === undefined ? undefined : JSON.stringify(body),
    );

  it('login with agenttype as a string → resetskill → onlineagentonvdn (status strings) → listen → heartbeat', async () => {
    await start();
    const login = await call('PUT', '/onlineagent/1001', {
      password: 'simulator',
      phonenum: '70001',
      status: 4,
      releasephone: true,
      agenttype: '4',
      autoanswer: true,
      autoenteridle: true,
      phonelinkage: false,
      checkInWebm: true,
      checkInMailm: false,
      listenStatus: false,
    });
    expect(login.json.retcode).toBe('0');
    guid = String(login.headers['set-guid']).replace('JSESSIONID=', '');
    expect((await call('POST', '/onlineagent/1001/resetskill/true')).json.retcode).toBe('0');
    const online = (await call('GET', '/agentgroup/1001/onlineagentonvdn')).json.result as Record<
      string,
      string
    >[];
    const talking = online.filter((a) => a.status === '7').map((a) => a.workno); // SEARCHALLAGENTS
    expect(talking).toEqual(['2005', '2006']);
    expect((await call('PUT', '/qualitycontrol/1001/addsupervise/2005')).json.retcode).toBe('0');
    const hb = await call('PUT', '/onlineagent/1001/heartbeat');
    expect(hb.json).toEqual({ message: 'success', retcode: '0', result: { loginTime: expect.any(String) } });
  });

  it('an agent force-logged-out by an inspector gets 100-006 on its heartbeat', async () => {
    await start();
    const login = await call('PUT', '/onlineagent/1001', {
      password: 'simulator',
      phonenum: '70001',
      status: 4,
    });
    guid = String(login.headers['set-guid']).replace('JSESSIONID=', '');
    const g3 = await h.client.signIn('1003');
    await h.client.gw('POST', '/qualitycontrol/1003/forcelogout/1001', { guid: g3 });
    expect((await call('PUT', '/onlineagent/1001/heartbeat')).json.retcode).toBe('100-006');
  });
});

describe('AP — aPortal (Java, 2020)', () => {
  let guid = '';
  const call = (method: string, path: string) =>
    send(method, `${base()}${path}`, [
      ['Content-Type', 'application/json; charset=UTF-8'],
      ['guid', guid],
    ]);

  it('signs in in wrap-up with a pushUrl, sayfree, then can listen; iscensor/ with a trailing /; heartbeat', async () => {
    await start();
    const login = await send(
      'PUT',
      `${base()}/onlineagent/1001`,
      [['Content-Type', 'application/json; charset=UTF-8']],
      JSON.stringify({
        password: 'simulator',
        phonenum: '70001',
        status: 5,
        autoanswer: false,
        autoenteridle: false,
        pushUrl: 'https://127.0.0.1:9/agentconsole/ws/rest/event?token=abc',
        checkInWebm: false,
      }),
    );
    expect(login.json.retcode).toBe('0');
    guid = String(login.headers['set-guid']).replace('JSESSIONID=', '');
    expect((await call('POST', '/onlineagent/1001/resetskill/true')).json.retcode).toBe('0');
    expect(Boolean((await call('GET', '/agentgroup/1001/iscensor/')).json.result.toString() === 'true')).toBe(
      true,
    );
    expect((await call('PUT', '/qualitycontrol/1001/addsupervise/2005')).json.retcode).toBe('900-005');
    expect((await call('POST', '/onlineagent/1001/sayfree')).text).toBe('{"message":"","retcode":"0"}');
    expect((await call('PUT', '/qualitycontrol/1001/addsupervise/2005')).json.retcode).toBe('0');
    expect((await call('PUT', '/onlineagent/1001/heartbeat')).json.result.loginTime).toMatch(/^[0-9]+$/);
  });
});
