import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { type RunningSimulator, startSimulator } from '../../simulator/index';
import { GW, TestClient } from './helpers';

let run: RunningSimulator | undefined;
let client: TestClient | undefined;
afterEach(async () => {
  await client?.close();
  await run?.close();
  client = undefined;
  run = undefined;
});

describe('HTTPS', () => {
  it('serves HTTPS with a certificate signed by the CA it writes to caFile', async () => {
    const caFile = join(tmpdir(), `qc-slack-sim-test-${process.pid}`, 'nested', 'ca.pem');
    run = await startSimulator({ caFile, quiet: true });
    expect(run.url).toMatch(/^https:\/\/127\.0\.0\.1:[0-9]+$/);
    expect(run.caFile).toBe(caFile);
    const pem = await readFile(caFile, 'utf8');
    expect(pem).toBe(run.caPem);
    const ca = new X509Certificate(pem);
    expect(ca.ca).toBe(true);
    client = new TestClient(run.url, run.caPem);
    const r = await client.gw('PUT', '/onlineagent/1001', { body: { password: 'simulator' } });
    expect(r.json.retcode).toBe('0');
    // localhost is in the certificate too
    const local = new TestClient(run.url.replace('127.0.0.1', 'localhost'), run.caPem);
    expect((await local.call('GET', '/sim/state')).status).toBe(200);
    await local.close();
  });

  it('is rejected by a client that does not trust the CA', async () => {
    run = await startSimulator({ quiet: true });
    const untrusting = new Agent();
    await expect(
      request(`${run.url}${GW}/onlineagent/1001`, { method: 'GET', dispatcher: untrusting }),
    ).rejects.toThrow();
    await untrusting.close();
  });

  it('keeps connections alive: 1,000 calls, one TLS handshake', async () => {
    run = await startSimulator({ quiet: true });
    // connections: 1 — undici's pool otherwise opens a 2nd connection for a request sent right after the
    // previous response (it frees the connection a tick later) and then alternates between the two.
    client = new TestClient(run.url, run.caPem, { connections: 1 });
    const guid = await client.signIn('1001');
    for (let i = 0; i < 1_000; i++) {
      const r = await client.gw('GET', '/onlineagent/1001/agentstatus', { guid });
      expect(r.json.retcode).toBe('0');
    }
    expect(run.sim.connectionCount).toBe(1);
  });

  it('counts plain TCP connections in HTTP mode', async () => {
    run = await startSimulator({ quiet: true, http: true });
    expect(run.url).toMatch(/^http:\/\/127\.0\.0\.1:[0-9]+$/);
    expect(run.caPem).toBeUndefined();
    expect(run.caFile).toBeUndefined();
    const a = new TestClient(run.url, undefined, { connections: 1 });
    const b = new TestClient(run.url, undefined, { connections: 1 });
    for (let i = 0; i < 20; i++) await a.call('GET', '/sim/state');
    await b.call('GET', '/sim/state');
    expect(run.sim.connectionCount).toBe(2);
    await a.close();
    await b.close();
  });

  it('shares one CA between simulators of the process', async () => {
    run = await startSimulator({ quiet: true });
    const second = await startSimulator({ quiet: true });
    expect(second.caPem).toBe(run.caPem);
    await second.close();
  });
});
