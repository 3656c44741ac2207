import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { generate } from 'selfsigned';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCliArgs } from '../../scripts/gateway-check';
import { type CheckOptions, runCheck } from '../../scripts/gateway-check/probe';
import { jsonReport, textReport } from '../../scripts/gateway-check/report';
import {
  DEFAULT_PASSWORD,
  defaultScenario,
  type RunningSimulator,
  type SimulatorOptions,
  startSimulator,
} from '../../simulator/index';

const PASSWORD = 'Pw-7f3a9c-unique';
const sims: RunningSimulator[] = [];
async function sim(opts: SimulatorOptions = {}): Promise<RunningSimulator> {
  const s = await startSimulator({ pollHoldMs: 1_200, ...opts });
  sims.push(s);
  return s;
}
afterAll(async () => {
  await Promise.all(sims.map((s) => s.close()));
});

function options(s: RunningSimulator, extra: Partial<CheckOptions> = {}): CheckOptions {
  return {
    url: s.url,
    agent: '1001',
    phone: '70001',
    password: DEFAULT_PASSWORD,
    ...(s.caPem ? { caPem: s.caPem } : {}),
    insecure: false,
    timeoutMs: 5_000,
    ...extra,
  };
}

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

describe('gateway-check against the simulator', () => {
  let gw: RunningSimulator;
  beforeAll(async () => {
    gw = await sim();
  });

  it('finds every interface, a rotating Guid and held polls, signs out, and says qc-slack can work', async () => {
    const o = options(gw);
    const r = await runCheck(o);
    const json = jsonReport(o, r) as Record<string, unknown>;
    expect(json.ok).toBe(true);
    expect(json.authMode).toBe('dynamic');
    expect(json.pollHeld).toBe(true);
    const interfaces = json.interfaces as Record<string, string>;
    for (const name of [
      'signIn',
      'poll',
      'listen',
      'insert',
      'whisper',
      'stop',
      'intercept',
      'releaseCall',
      'signOut',
    ]) {
      expect(interfaces[name], name).toBe('ok');
    }
    // No agent was touched: every QC probe targeted the inspector itself, and the inspector is signed out.
    expect(gw.sim.snapshot().agents.find((a) => a.id === '1001')?.signedIn).toBe(false);
    expect(gw.sim.snapshot().agents.every((a) => a.monitoredBy.length === 0)).toBe(true);
    const text = textReport(o, r);
    expect(text).toContain('Result: qc-slack can work against this gateway.');
    expect(text).toContain(`CCGW_BASE_URL=${gw.url}`);
    expect(text).not.toContain(DEFAULT_PASSWORD);
  });

  it('tolerates a base URL configured with a trailing slash', async () => {
    const r = await runCheck(options(gw, { url: `${gw.url}/` }));
    expect(r.ok).toBe(true);
  });

  it('a wrong password: sign-in refused in words, exit not ok, nothing else probed', async () => {
    const o = options(gw, { password: 'not-the-password' });
    const r = await runCheck(o);
    expect(r.ok).toBe(false);
    expect(r.interfaces.signIn?.status).toBe('refused');
    expect(Object.keys(r.interfaces)).toEqual(['signIn']);
    const text = textReport(o, r);
    expect(text).toMatch(/sign-in refused: 100-00\d — .*password/i);
    expect(text).not.toContain('not-the-password');
  });

  it('a CA that did not sign the certificate: explained, with the fix', async () => {
    const other = await generate([{ name: 'commonName', value: 'someone-else-ca' }], {
      keyType: 'ec',
      curve: 'P-256',
    });
    const r = await runCheck(options(gw, { caPem: other.cert }));
    expect(r.ok).toBe(false);
    expect(r.reach.trusted).toBe(false);
    expect(r.problems.join(' ')).toMatch(/not signed by a CA we trust.*--ca-file/);
    expect(r.interfaces).toEqual({});
  });

  it('--insecure goes on past an untrusted certificate and says so', async () => {
    const o = options(gw, { insecure: true });
    delete o.caPem;
    const r = await runCheck(o);
    expect(r.ok).toBe(true);
    expect(r.problems.join(' ')).toMatch(/--insecure/);
    expect(textReport(o, r)).toContain('CCGW_INSECURE_SKIP_VERIFY=true');
  });

  it('a closed port: "nothing listens", no sign-in attempted', async () => {
    const port = await freePort();
    const r = await runCheck(options(gw, { url: `https://127.0.0.1:${port}` }));
    expect(r.ok).toBe(false);
    expect(r.reach).toMatchObject({ reachable: false, code: 'ECONNREFUSED' });
    expect(r.problems[0]).toMatch(/nothing listens on 127\.0\.0\.1:\d+/);
  });
});

describe('gateway-check: deployments that differ', () => {
  it('static Guids (AUTHMODE 1)', async () => {
    const gw = await sim({ authMode: 1 });
    const r = await runCheck(options(gw));
    expect(r.ok).toBe(true);
    expect(r.authMode).toBe('static');
  });

  it('the 2018 route table (--profile legacy): no handshake, updateGuid or intercept by call ID, and still ok', async () => {
    const gw = await sim({ profile: 'legacy' });
    const o = options(gw);
    const r = await runCheck(o);
    const json = jsonReport(o, r) as { ok: boolean; authMode: string; interfaces: Record<string, string> };
    expect(json.ok).toBe(true);
    expect(json.authMode).toBe('unknown');
    expect(json.interfaces).toMatchObject({
      handshake: 'missing',
      updateGuid: 'missing',
      interceptByCall: 'missing',
      intercept: 'ok',
      listen: 'ok',
    });
    const text = textReport(o, r);
    expect(text).toMatch(/handshake +MISSING .*push mode .* unavailable/);
    expect(text).toMatch(/interceptByCall +MISSING .*intercepts by agent ID/);
  });

  it('behind a load balancer that needs its cookie (--elb-cookie): found, resent, and the setting named', async () => {
    const gw = await sim({ elbCookie: true });
    const o = options(gw);
    const r = await runCheck(o);
    expect(r.ok).toBe(true);
    expect(r.cookies).toEqual(['huaweielbsession']);
    expect(Object.values(r.interfaces).every((i) => i.retcode !== '100-006')).toBe(true);
    expect(textReport(o, r)).toContain('CCGW_STICKY_COOKIES=true');
  });

  it('a gateway that does not hold polls', async () => {
    const gw = await sim({ pollHoldMs: 0 });
    const o = options(gw);
    const r = await runCheck(o);
    expect(r.ok).toBe(true);
    expect(r.pollHeld).toBe(false);
    expect(textReport(o, r)).toMatch(/Polls: +NOT held/);
  });

  it('a certificate that does not name the host', async () => {
    const gw = await sim({ host: '127.0.0.2' });
    const r = await runCheck(options(gw));
    expect(r.ok).toBe(false);
    expect(r.reach.code).toBe('HOSTNAME');
    expect(r.problems[0]).toMatch(/does not name 127\.0\.0\.2/);
  });
});

describe('gateway-check command line', () => {
  it('never takes the password as an argument, and checks its arguments', () => {
    expect(() =>
      parseCliArgs(['--url', 'https://x:1', '--agent', '1001', '--phone', '1', '--password', 'p']),
    ).toThrow(/not accepted/);
    expect(() => parseCliArgs(['--agent', '1001', '--phone', '1'])).toThrow(/--url is required/);
    expect(() => parseCliArgs(['--url', 'ftp://x', '--agent', '1001', '--phone', '1'])).toThrow(/https:\/\//);
    expect(() => parseCliArgs(['--url', 'https://x:1', '--agent', 'abc', '--phone', '1'])).toThrow(/--agent/);
    expect(() => parseCliArgs(['--prot', '1'])).toThrow(/Unknown option/);
  });

  it('--json prints one object, exit 0, and the password appears nowhere', async () => {
    const scenario = defaultScenario();
    scenario.agents = scenario.agents.map((a) => ({ ...a, password: PASSWORD }));
    const gw = await sim({ scenario });
    const out = await run(
      ['--url', gw.url, '--agent', '1003', '--phone', '70003', '--ca-file', gw.caFile ?? '', '--json'],
      { CCGW_CHECK_PASSWORD: PASSWORD },
    );
    expect(out.code).toBe(0);
    const json = JSON.parse(out.stdout) as {
      ok: boolean;
      authMode: string;
      interfaces: Record<string, string>;
    };
    expect(json).toMatchObject({ ok: true, authMode: 'dynamic' });
    expect(json.interfaces.intercept).toBe('ok');
    expect(out.stdout + out.stderr).not.toContain(PASSWORD);
  });

  it('no password and no terminal: exit 2 with the fix', async () => {
    const out = await run(['--url', 'https://127.0.0.1:1', '--agent', '1001', '--phone', '1'], {});
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('set CCGW_CHECK_PASSWORD');
  });
});

function run(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const { CCGW_CHECK_PASSWORD: _drop, ...base } = process.env;
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/gateway-check.ts', ...args], {
      env: { ...base, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}
