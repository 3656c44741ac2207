import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  LOCAL_ALERTS_SECRET,
  parseSendArgs,
  type SendOptions,
  sendAlert,
  USAGE,
} from '../../scripts/send-alert';
import { AlertChannelError, type AlertDeps, receiveAlert } from '../../src/alerts/receive';
import { DEFAULT_MAX_AGENT_ID } from '../../src/gateway/agent-id';
import { captureLogger } from '../helpers/log-capture';
import { fakePublisher } from './fake-publisher';

const SECRET = 'send-alert-test-secret-61c0f2';

describe('parseSendArgs', () => {
  it('applies the defaults', () => {
    expect(parseSendArgs(['--agent', '2005', '--reason', 'Customer asked for a supervisor'], {})).toEqual({
      options: {
        url: 'http://127.0.0.1:3000/alerts',
        secret: LOCAL_ALERTS_SECRET,
        timeoutMs: 10_000,
        alert: { channel: 'C_QC', agentId: '2005', reason: 'Customer asked for a supervisor' },
      },
    });
  });

  it('takes every option, and the secret from ALERTS_SECRET or --secret', () => {
    const argv = [
      '--url',
      'http://127.0.0.1:4000/alerts',
      '--channel',
      'C0123ABCD',
      '--agent',
      '2005',
      '--reason',
      'r',
      '--severity',
      'critical',
      '--call-id',
      '1456401416-3',
      '--customer',
      'Ms Jones',
      '--details',
      'd',
      '--timeout',
      '2.5',
    ];
    const parsed = parseSendArgs(argv, { ALERTS_SECRET: 'from-env' });
    expect(parsed).toEqual({
      options: {
        url: 'http://127.0.0.1:4000/alerts',
        secret: 'from-env',
        timeoutMs: 2500,
        alert: {
          channel: 'C0123ABCD',
          agentId: '2005',
          reason: 'r',
          severity: 'critical',
          callId: '1456401416-3',
          customer: 'Ms Jones',
          details: 'd',
        },
      },
    });
    const flag = parseSendArgs([...argv, '--secret', 'from-flag'], { ALERTS_SECRET: 'from-env' });
    expect('options' in flag && flag.options.secret).toBe('from-flag');
    const port = parseSendArgs(['--agent', '1', '--reason', 'r'], { PORT: '3999' });
    expect('options' in port && port.options.url).toBe('http://127.0.0.1:3999/alerts');
  });

  it('refuses missing or bad arguments, and knows --help', () => {
    expect(parseSendArgs(['--help'])).toEqual({ help: true });
    expect(parseSendArgs(['-h'])).toEqual({ help: true });
    expect(parseSendArgs(['--reason', 'r'])).toEqual({ error: expect.stringMatching(/missing --agent/) });
    expect(parseSendArgs(['--agent', '2005'])).toEqual({ error: expect.stringMatching(/missing --reason/) });
    expect(parseSendArgs(['--agent', '2005', '--reason', 'r', '--bogus'])).toHaveProperty('error');
    expect(parseSendArgs(['--agent', '2005', '--reason', 'r', 'stray'])).toHaveProperty('error');
    expect(parseSendArgs(['--agent', '1', '--reason', 'r', '--url', 'ftp://x'])).toEqual({
      error: expect.stringMatching(/--url must start with http/),
    });
    expect(parseSendArgs(['--agent', '1', '--reason', 'r', '--timeout', '0'])).toHaveProperty('error');
    expect(USAGE).toContain('--call-id');
  });
});

describe('sendAlert against receiveAlert over local HTTP', () => {
  let server: Server;
  let url: string;
  let publisher: ReturnType<typeof fakePublisher>;
  const logger = captureLogger();

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const deps: AlertDeps = {
          secret: SECRET,
          maxAgentId: DEFAULT_MAX_AGENT_ID,
          now: () => Date.now(),
          logger,
          publisher,
        };
        const headers: Record<string, string | undefined> = {};
        for (const [k, v] of Object.entries(req.headers)) headers[k] = Array.isArray(v) ? v[0] : v;
        void receiveAlert(deps, {
          method: req.method,
          headers,
          body: Buffer.concat(chunks).toString('utf8'),
        }).then((answer) => {
          res.writeHead(answer.status, { 'content-type': 'application/json' });
          res.end(JSON.stringify(answer.body));
        });
      });
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/alerts`;
  });
  afterAll(
    () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  );
  beforeEach(() => {
    publisher = fakePublisher();
  });

  const options = (over: Partial<SendOptions> = {}): SendOptions => ({
    url,
    secret: SECRET,
    timeoutMs: 5000,
    alert: {
      channel: 'C_QC',
      agentId: '2005',
      reason: 'Customer asked for a supervisor',
      severity: 'critical',
      callId: '1456401416-3',
      customer: 'Ms Jones',
      details: 'Sentiment −0.8 for 40 s',
    },
    ...over,
  });

  it('201: signs so the server verifies it, prints the JSON answer, exits 0', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await sendAlert(
      options(),
      (l) => out.push(l),
      (l) => err.push(l),
    );
    expect(code).toBe(0);
    expect(JSON.parse(out.join('\n'))).toEqual({
      ok: true,
      alert_id: 'A1',
      channel: 'C_QC',
      ts: expect.any(String),
    });
    expect(err).toEqual([]);
    expect(publisher.calls[0]?.alert).toEqual({
      channel: 'C_QC',
      agentId: '2005',
      reason: 'Customer asked for a supervisor',
      severity: 'critical',
      callId: '1456401416-3',
      customer: 'Ms Jones',
      details: 'Sentiment −0.8 for 40 s',
    });
  });

  it('401 with the wrong secret: prints the answer, hints, exits 1, never prints a secret', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await sendAlert(
      options({ secret: 'wrong-secret-value' }),
      (l) => out.push(l),
      (l) => err.push(l),
    );
    expect(code).toBe(1);
    expect(JSON.parse(out.join('\n'))).toMatchObject({ ok: false, error: 'unauthorized' });
    expect(err.join('\n')).toMatch(/HTTP 401 — check --secret/);
    const all = [...out, ...err].join('\n');
    expect(all).not.toContain(SECRET);
    expect(all).not.toContain('wrong-secret-value');
  });

  it('400 and 422 exit 1', async () => {
    const quiet = () => {};
    expect(
      await sendAlert(options({ alert: { channel: 'C_QC', agentId: 'abc', reason: 'r' } }), quiet, quiet),
    ).toBe(1);
    publisher.failWith = new AlertChannelError('not_in_channel');
    const out: string[] = [];
    expect(await sendAlert(options(), (l) => out.push(l), quiet)).toBe(1);
    expect(out.join('\n')).toContain('/invite @qc-slack');
  });

  it('an unreachable URL: a clear message and exit 1', async () => {
    const err: string[] = [];
    const code = await sendAlert(
      options({ url: 'http://127.0.0.1:9/alerts', timeoutMs: 2000 }),
      () => {},
      (l) => err.push(l),
    );
    expect(code).toBe(1);
    expect(err.join('\n')).toMatch(/Cannot reach http:\/\/127\.0\.0\.1:9\/alerts/);
  });

  it('the curl + openssl recipe of docs/alerts.md is accepted', async () => {
    // async on purpose: the server runs in this process, so a synchronous child would deadlock it
    const run = promisify(execFile);
    const tools = await run('sh', ['-c', 'command -v curl && command -v openssl']).then(
      () => true,
      () => false,
    );
    if (!tools) return;
    const script = [
      `body='{"channel":"C_QC","agentId":"2005","reason":"Customer asked for a supervisor","severity":"critical"}'`,
      `ts=$(date +%s)`,
      `sig="v1=$(printf 'v1:%s:%s' "$ts" "$body" | openssl dgst -sha256 -hmac "$ALERTS_SECRET" -hex | sed 's/^.* //')"`,
      `curl -sS --max-time 10 -X POST "$URL" -H 'content-type: application/json' -H "x-qc-timestamp: $ts" -H "x-qc-signature: $sig" --data-raw "$body"`,
    ].join('\n');
    const { stdout } = await run('sh', ['-c', script], {
      env: { PATH: process.env.PATH ?? '', ALERTS_SECRET: SECRET, URL: url },
      timeout: 15_000,
    });
    expect(JSON.parse(stdout)).toMatchObject({ ok: true, channel: 'C_QC' });
    expect(publisher.calls).toHaveLength(1);
  });

  it('as a process: npm run alert prints the answer and sets the exit code', async () => {
    const run = promisify(execFile);
    const tsx = ['node_modules/.bin/tsx', 'scripts/send-alert.ts'];
    const ok = await run(
      tsx[0] as string,
      [tsx[1] as string, '--url', url, '--agent', '2005', '--reason', 'hi'],
      {
        env: { ...process.env, ALERTS_SECRET: SECRET },
      },
    );
    expect(JSON.parse(ok.stdout)).toMatchObject({ ok: true });
    const bad = await run(
      tsx[0] as string,
      [tsx[1] as string, '--url', url, '--agent', 'x', '--reason', 'hi'],
      {
        env: { ...process.env, ALERTS_SECRET: SECRET },
      },
    ).catch((e: { code: number; stdout: string; stderr: string }) => e);
    expect('code' in bad && bad.code).toBe(1);
    expect(JSON.parse(bad.stdout)).toMatchObject({ error: 'invalid_alert', field: 'agentId' });
    const usage = await run(tsx[0] as string, [tsx[1] as string], { timeout: 15_000 }).catch(
      (e: { code: number; stderr: string }) => e,
    );
    expect('code' in usage && usage.code).toBe(2);
    expect(usage.stderr).toContain('Usage: npm run alert');
  });
});
