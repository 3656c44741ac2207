import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../simulator/index';
import { guidOf, type Harness, harness, types, until } from './helpers';

interface Received {
  headers: http.IncomingHttpHeaders;
  body: { workNo: string; eventList: { eventType: string; workNo: string; content: unknown }[] };
}

/** A callback server; `answer` decides each reply (default: the documented success reply). */
async function callbackServer(answer: (n: number) => { status: number; body: string } = () => ok) {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    let text = '';
    req.on('data', (c: Buffer) => {
      text += c.toString();
    });
    req.on('end', () => {
      received.push({ headers: req.headers, body: JSON.parse(text) });
      const a = answer(received.length);
      res.writeHead(a.status, { 'content-type': 'application/json' });
      res.end(a.body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/service-cloud/rest/cc-ai/v1/agentevent/pushresult`;
  return {
    url,
    received,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}
const ok = { status: 200, body: '{"message":"success","retcode":"0"}' };
const serverError = { status: 500, body: '{"message":"boom","retcode":"1"}' };

let h: Harness;
let cb: Awaited<ReturnType<typeof callbackServer>> | undefined;
afterEach(async () => {
  await h?.close();
  await cb?.close();
  cb = undefined;
});

describe('push mode', () => {
  it('POSTs {workNo, eventList} with Guid and service_token headers; events are batched oldest first', async () => {
    cb = await callbackServer();
    h = await harness();
    const guid = await h.client.signIn('1001', { callBackUri: cb.url, serviceToken: 'token-123' });
    expect(h.run.sim.agent('1001')?.mode).toBe('push');
    await h.run.sim.settled();
    expect(cb.received).toHaveLength(1);
    const first = cb.received[0] as Received;
    expect(first.headers['content-type']).toBe('application/json; charset=UTF-8');
    expect(first.headers.guid).toBe(guid);
    expect(first.headers.service_token).toBe('token-123');
    expect(first.body).toEqual({
      workNo: '1001',
      eventList: [
        {
          eventType: 'AgentOther_InService',
          eventGenTime: expect.any(Number),
          workNo: '1001',
          content: null,
        },
        { eventType: 'AgentState_Ready', eventGenTime: expect.any(Number), workNo: '1001', content: null },
      ],
    });
    await h.client.gw('PUT', '/qualitycontrol/1001/addsupervise/2005', { guid });
    await h.run.sim.settled();
    expect(cb.received.flatMap((r) => r.body.eventList.map((e) => e.eventType)).slice(2)).toEqual([
      'AgentState_Busy',
      'AgentOther_PhoneAlerting',
      'AgentOther_PhoneOffhook',
    ]);
    expect(h.run.sim.peekEvents('1001')).toEqual([]);
    const log = JSON.stringify(h.run.sim.requestLog) + JSON.stringify(h.run.sim.snapshot());
    expect(log).not.toContain('token-123');
    expect(log).not.toContain(guid);
  });

  it('needs both callBackUri and serviceToken, else polling', async () => {
    h = await harness();
    await h.client.signIn('1001', { callBackUri: 'http://127.0.0.1:9/cb' });
    expect(h.run.sim.agent('1001')?.mode).toBe('poll');
  });

  it('retries every pushRetryIntervalMs and delivers once the callback recovers', async () => {
    let failing = true;
    cb = await callbackServer(() => (failing ? serverError : ok));
    const clock = new FakeClock();
    h = await harness({ clock });
    await h.client.signIn('1001', { callBackUri: cb.url, serviceToken: 't' });
    await h.run.sim.settled();
    expect(cb.received).toHaveLength(1);
    h.run.sim.advance(9_999);
    await h.run.sim.settled();
    expect(cb.received).toHaveLength(1); // not yet due
    h.run.sim.advance(1);
    await h.run.sim.settled();
    expect(cb.received).toHaveLength(2);
    failing = false;
    h.run.sim.advance(10_000);
    await h.run.sim.settled();
    expect(cb.received).toHaveLength(3);
    expect(cb.received[2]?.body.eventList.map((e) => e.eventType)).toEqual([
      'AgentOther_InService',
      'AgentState_Ready',
    ]);
    expect(h.run.sim.peekEvents('1001')).toEqual([]);
    // healthy again: the next event goes out at once
    h.run.sim.startCall('1001');
    await h.run.sim.settled();
    expect(cb.received).toHaveLength(4);
  });

  it('a reply without retcode "0" is a failure too', async () => {
    cb = await callbackServer(() => ({ status: 200, body: '{"message":"no","retcode":"100-001"}' }));
    h = await harness({ clock: new FakeClock() });
    await h.client.signIn('1001', { callBackUri: cb.url, serviceToken: 't' });
    await h.run.sim.settled();
    expect(h.run.sim.peekEvents('1001')).toHaveLength(2);
  });

  it('forces a sign-out after failing for pushFailTotalMs', async () => {
    cb = await callbackServer(() => serverError);
    const clock = new FakeClock();
    h = await harness({ clock });
    const guid = await h.client.signIn('1001', { callBackUri: cb.url, serviceToken: 't' });
    await h.run.sim.settled();
    for (let i = 0; i < 11; i++) {
      // keep the heartbeat alive so that only the push failure can sign the agent out
      await h.client.gw('POST', '/onlineagent/1001/handshake', { guid });
      h.run.sim.advance(10_000);
      await h.run.sim.settled();
    }
    expect(h.run.sim.agent('1001')?.signedIn).toBe(true);
    expect(cb.received).toHaveLength(12); // first attempt + 11 retries
    h.run.sim.advance(10_000); // 120 s of failure
    await h.run.sim.settled();
    expect(h.run.sim.agent('1001')?.signedIn).toBe(false);
    expect((await h.client.gw('POST', '/onlineagent/1001/handshake', { guid })).json.retcode).toBe('100-006');
  });

  it('an unreachable callback counts as a failure', async () => {
    h = await harness({ clock: new FakeClock(), pushFailTotalMs: 20_000 });
    await h.client.signIn('1001', { callBackUri: 'http://127.0.0.1:9/cb', serviceToken: 't' });
    await h.run.sim.settled();
    h.run.sim.advance(10_000);
    await h.run.sim.settled();
    h.run.sim.advance(10_000);
    await h.run.sim.settled();
    expect(h.run.sim.agent('1001')?.signedIn).toBe(false);
  });

  it('handshake rotates the Guid in mode 2 and later pushes carry the new one', async () => {
    cb = await callbackServer();
    const clock = new FakeClock();
    h = await harness({ clock });
    const g1 = await h.client.signIn('1001', { callBackUri: cb.url, serviceToken: 't' });
    await h.run.sim.settled();
    h.run.sim.advance(61_000);
    const hs = await h.client.gw('POST', '/onlineagent/1001/handshake', { guid: g1 });
    const g2 = guidOf(hs);
    expect(g2).toBeDefined();
    h.run.sim.startCall('1001');
    await until(() => (cb?.received.length ?? 0) >= 2);
    expect(cb.received.at(-1)?.headers.guid).toBe(g2);
    expect(types(cb.received.at(-1)?.body.eventList as never)).toEqual([
      'AgentEvent_Ringing',
      'AgentEvent_Talking',
    ]);
  });
});
