import { afterEach, describe, expect, it } from 'vitest';
import { FaultError, LOG_NAMES } from '../../simulator/index';
import { type Harness, harness } from './helpers';

let h: Harness;
let g: string;
afterEach(async () => {
  await h?.close();
});

async function start() {
  h = await harness();
  g = await h.client.signIn('1001');
  h.run.sim.takeEvents('1001');
  return h;
}
const listen = () => h.client.gw('PUT', '/qualitycontrol/1001/addsupervise/2005', { guid: g });

describe('fault injection', () => {
  it('latency delays, then handles normally', async () => {
    await start();
    h.run.sim.injectFault({ interface: 'addSupervise', kind: 'latency', ms: 120 });
    const t0 = performance.now();
    const r = await listen();
    expect(performance.now() - t0).toBeGreaterThanOrEqual(110);
    expect(r.json.retcode).toBe('0');
    expect(h.run.sim.agent('1001')?.monitoring?.target).toBe('2005');
    expect(h.run.sim.requestLog.at(-1)).toMatchObject({
      logName: 'addSupervise',
      fault: 'latency',
      status: 200,
    });
  });

  it('status answers that HTTP status with an HTML body and changes nothing', async () => {
    await start();
    h.run.sim.injectFault({ interface: 'addSupervise', kind: 'status', status: 503 });
    const r = await listen();
    expect(r.status).toBe(503);
    expect(r.headers['content-type']).toMatch(/^text\/html/);
    expect(r.text).toContain('<html>');
    expect(r.json).toBeUndefined();
    expect(h.run.sim.agent('1001')?.monitoring).toBeNull();
    expect((await listen()).json.retcode).toBe('0'); // count defaults to 1
  });

  it('reset destroys the socket without a response', async () => {
    await start();
    h.run.sim.injectFault({ kind: 'reset' });
    await expect(listen()).rejects.toThrow();
    expect(h.run.sim.agent('1001')?.monitoring).toBeNull();
    expect(h.run.sim.requestLog.at(-1)).toMatchObject({ fault: 'reset', status: 0 });
    expect((await listen()).json.retcode).toBe('0');
  });

  it('invalid-json answers 200 with a body that is not JSON', async () => {
    await start();
    h.run.sim.injectFault({ interface: 'addSupervise', kind: 'invalid-json' });
    const r = await listen();
    expect(r.status).toBe(200);
    expect(() => JSON.parse(r.text)).toThrow();
    expect(h.run.sim.agent('1001')?.monitoring).toBeNull();
  });

  it('hang never answers; close() still finishes', async () => {
    await start();
    h.run.sim.injectFault({ interface: 'addSupervise', kind: 'hang' });
    const pending = h.client
      .gw('PUT', '/qualitycontrol/1001/addsupervise/2005', { guid: g, headersTimeout: 150 })
      .then(
        () => 'answered',
        (e: Error) => e.name,
      );
    expect(await pending).toBe('HeadersTimeoutError');
    const t0 = performance.now();
    await h.run.close();
    expect(performance.now() - t0).toBeLessThan(1_000);
  });

  it('retcode answers 200 with that retcode and changes nothing', async () => {
    await start();
    h.run.sim.injectFault({ interface: 'addSupervise', kind: 'retcode', retcode: '900-003' });
    const r = await listen();
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ message: expect.any(String), retcode: '900-003', result: {} });
    expect(h.run.sim.agent('1001')?.monitoring).toBeNull();
    expect(h.run.sim.requestLog.at(-1)).toMatchObject({ retcode: '900-003', fault: 'retcode' });
  });

  it('targets one interface, counts down, or lasts until cleared', async () => {
    await start();
    h.run.sim.injectFault({ interface: 'intercept', kind: 'retcode', retcode: '900-001', count: 2 });
    expect((await listen()).json.retcode).toBe('0');
    const icpt = () => h.client.gw('PUT', '/qualitycontrol/1001/intercept/2005', { guid: g });
    expect((await icpt()).json.retcode).toBe('900-001');
    expect((await icpt()).json.retcode).toBe('900-001');
    h.run.sim.injectFault({
      interface: 'getAgentStatus',
      kind: 'status',
      status: 502,
      count: Number.POSITIVE_INFINITY,
    });
    for (let i = 0; i < 5; i++)
      expect((await h.client.gw('GET', '/onlineagent/1001/agentstatus', { guid: g })).status).toBe(502);
    h.run.sim.clearFaults();
    expect((await h.client.gw('GET', '/onlineagent/1001/agentstatus', { guid: g })).status).toBe(200);
    expect((await icpt()).json.retcode).toBe('0');
  });

  it('validates faults', () => {
    return start().then(() => {
      expect(() => h.run.sim.injectFault({ kind: 'nope' } as never)).toThrow(FaultError);
      expect(() => h.run.sim.injectFault({ kind: 'latency' })).toThrow(/ms/);
      expect(() => h.run.sim.injectFault({ kind: 'reset', interface: 'listen' })).toThrow(/interface/);
      expect(() => h.run.sim.injectFault({ kind: 'reset', count: 0 })).toThrow(/count/);
      expect(LOG_NAMES).toContain('requestSwitchInsertWhisperAgent');
    });
  });
});
