/** Profiles for what deployments differ in (issue 11 item 6): the 2018 route table and a sticky load balancer. */
import { afterEach, describe, expect, it } from 'vitest';
import { ELB_COOKIE } from '../../simulator/index';
import { GW, guidOf, type Harness, harness } from './helpers';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

describe('--profile legacy (the 2018 route table)', () => {
  it('answers 404 / 000-002 for handshake, heartbeat, updateGuid and intercept by call ID', async () => {
    h = await harness({ profile: 'legacy' });
    const g = await h.client.signIn('1001');
    for (const [method, path] of [
      ['POST', '/onlineagent/1001/handshake'],
      ['PUT', '/onlineagent/1001/heartbeat'],
      ['PUT', '/onlineagent/1001/updateGuid'],
      ['PUT', `/qualitycontrol/1001/intercept/2005/${h.run.sim.agent('2005')?.callId}`],
    ] as const) {
      const r = await h.client.gw(method, path, { guid: g });
      expect(r.status, path).toBe(404);
      expect(r.json.retcode, path).toBe('000-002');
    }
  });

  it('answers 404 for an agent ID outside the 2018 regex (1–59999)', async () => {
    h = await harness({ profile: 'legacy' });
    for (const id of ['60000', '0101']) {
      const r = await h.client.gw('PUT', `/onlineagent/${id}`, { body: { password: 'simulator' } });
      expect(r.status, id).toBe(404);
    }
    expect(
      (await h.client.gw('PUT', '/onlineagent/59999', { body: { password: 'simulator' } })).json.retcode,
    ).toBe('100-004');
  });

  it('keeps what the 2018 table has: poll, listen, intercept, forcerest, beginmonitor', async () => {
    h = await harness({ profile: 'legacy' });
    const g = await h.client.signIn('1001');
    expect((await h.client.poll('1001', g)).json.event.eventType).toBe('AgentOther_InService');
    expect(
      (await h.client.gw('PUT', '/qualitycontrol/1001/addsupervise/2005', { guid: g })).json.retcode,
    ).toBe('0');
    expect((await h.client.gw('PUT', '/qualitycontrol/1001/intercept/2005', { guid: g })).json.retcode).toBe(
      '0',
    );
    expect(
      (await h.client.gw('POST', '/qualitycontrol/1001/beginmonitor?agents=2001', { guid: g })).json.retcode,
    ).toBe('0');
    expect(
      (await h.client.gw('POST', '/qualitycontrol/1001/forcerest/2001/60/1', { guid: g })).json.retcode,
    ).toBe('0');
  });
});

describe('--elb-cookie (a sticky load balancer)', () => {
  const signIn = async () => {
    const r = await h.client.gw('PUT', '/onlineagent/1001', {
      body: { password: 'simulator', phonenum: '70001' },
    });
    const cookie = String(r.headers['set-cookie']);
    return { guid: guidOf(r) as string, cookie, pair: cookie.split(';')[0] as string };
  };
  const withCookie = (method: string, path: string, guid: string, cookie?: string) =>
    h.client.call(method, `${GW}${path}`, { guid, ...(cookie ? { headers: { cookie } } : {}) });

  it('sign-in sets huaweielbsession; a request without it reaches a node that does not know the session', async () => {
    h = await harness({ elbCookie: true });
    const { guid, cookie, pair } = await signIn();
    expect(cookie).toMatch(new RegExp(`^${ELB_COOKIE}=[0-9a-f]{32}; Path=/; HttpOnly$`));
    expect((await withCookie('GET', '/onlineagent/1001/agentstatus', guid)).json.retcode).toBe('100-006');
    expect(
      (await withCookie('GET', '/onlineagent/1001/agentstatus', guid, `${ELB_COOKIE}=other`)).json.retcode,
    ).toBe('100-006');
    const ok = await withCookie('GET', '/onlineagent/1001/agentstatus', guid, pair);
    expect(ok.json.result).toEqual({ agentState: 4, isWorking: false });
    // The C# demo resends each Set-Cookie whole, attributes included; other cookies around it are fine.
    expect(
      (await withCookie('GET', '/onlineagent/1001/agentstatus', guid, `a=b; ${cookie}`)).json.retcode,
    ).toBe('0');
    // The session itself is untouched by the misrouted requests.
    expect(h.run.sim.agent('1001')?.signedIn).toBe(true);
  });

  it('is switchable at run time through POST /sim/profile', async () => {
    h = await harness();
    const set = await h.client.call('POST', '/sim/profile', { body: { profile: 'legacy', elbCookie: true } });
    expect(set.json).toEqual({ profile: 'legacy', elbCookie: true, pollHoldMs: 30 });
    const { guid } = await signIn();
    expect((await withCookie('GET', '/onlineagent/1001/agentstatus', guid)).json.retcode).toBe('100-006');
    expect((await h.client.call('GET', '/sim/state')).json).toMatchObject({
      profile: 'legacy',
      elbCookie: true,
    });
    expect((await h.client.call('POST', '/sim/profile', { body: { profile: 'modern' } })).status).toBe(400);
  });
});
