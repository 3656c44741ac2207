import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const CLI = join(import.meta.dirname, '../../simulator/cli.ts');

function cli(args: string[]): { child: ChildProcess; out: () => string; err: () => string } {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    err += d.toString();
  });
  return { child, out: () => out, err: () => err };
}

async function exitCode(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode;
  const [code] = (await once(child, 'exit')) as [number | null];
  return code;
}

let running: ChildProcess | undefined;
afterEach(() => {
  if (running && running.exitCode === null) running.kill('SIGKILL');
  running = undefined;
});

describe('CLI', () => {
  it('--help prints usage and exits 0', async () => {
    const p = cli(['--help']);
    expect(await exitCode(p.child)).toBe(0);
    expect(p.out()).toContain('--poll-hold-ms');
    expect(p.out()).toContain('/sim/state');
  });

  it.each([
    [['--bogus'], /Unknown option '--bogus'/],
    [['--port', 'abc'], /--port must be an integer/],
    [['--auth-mode', '3'], /--auth-mode must be an integer from 1 to 2/],
    [['--poll-hold-ms', '-5'], /poll-hold-ms/],
    [['--scenario', '/nonexistent/s.json'], /cannot read scenario file/],
    [['--profile', 'modern'], /--profile must be one of default, legacy/],
    [['--calls-per-minute', '0'], /--calls-per-minute must be an integer from 1/],
    [['--seed', 'x'], /--seed must be an integer/],
  ])('rejects %j with exit code 2', async (args, msg) => {
    const p = cli(args);
    expect(await exitCode(p.child)).toBe(2);
    expect(p.err()).toMatch(msg);
  });

  it('names the bad field of a scenario file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sim-cli-'));
    try {
      const f = join(dir, 's.json');
      await writeFile(f, JSON.stringify({ vdns: [1], agents: [{ id: '1', password: 'p', vdn: 3 }] }));
      const p = cli(['--scenario', f]);
      expect(await exitCode(p.child)).toBe(2);
      expect(p.err()).toContain('scenario.agents[0].vdn');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('starts, prints the URL and demo IDs, serves, and closes on SIGTERM', async () => {
    const p = cli([
      '--http',
      '--port',
      '0',
      '--quiet',
      '--fake-clock',
      '--profile',
      'legacy',
      '--elb-cookie',
    ]);
    running = p.child;
    const deadline = Date.now() + 15_000;
    while (!/listening on (http:\/\/\S+)/.test(p.out())) {
      if (Date.now() > deadline || p.child.exitCode !== null)
        throw new Error(`no banner: ${p.out()} ${p.err()}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    const url = /listening on (http:\/\/\S+)/.exec(p.out())?.[1] as string;
    expect(p.out()).toContain(`export CCGW_BASE_URL=${url}`);
    expect(p.out()).toContain('1002 (no QC permission)');
    expect(p.out()).toContain('2001–2020');
    const state = (await fetch(`${url}/sim/state`).then((r) => r.json())) as { agents: unknown[] };
    expect(state.agents).toHaveLength(24);
    expect(state).toMatchObject({ profile: 'legacy', elbCookie: true });
    expect(p.out()).toContain('profile legacy behind a sticky load balancer');
    const adv = await fetch(`${url}/sim/clock/advance`, { method: 'POST', body: '{"ms":1000}' });
    expect(adv.status).toBe(200);
    p.child.kill('SIGTERM');
    expect(await exitCode(p.child)).toBe(0);
  });

  it('--traffic: calls start and end on their own; the banner says so and /sim/traffic shows it', async () => {
    const p = cli([
      '--http',
      '--port',
      '0',
      '--quiet',
      '--fake-clock',
      '--traffic',
      '--calls-per-minute',
      '30',
      '--seed',
      '4',
    ]);
    running = p.child;
    const deadline = Date.now() + 15_000;
    while (!/listening on (http:\/\/\S+)/.test(p.out()) || !p.out().includes('Traffic')) {
      if (Date.now() > deadline || p.child.exitCode !== null)
        throw new Error(`no banner: ${p.out()} ${p.err()}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    const url = /listening on (http:\/\/\S+)/.exec(p.out())?.[1] as string;
    expect(p.out()).toContain('Traffic on: 30 calls a minute, 60 s talk on average, seed 4');
    expect(p.out()).toContain('Skill queues: 1 Sales (2001–2010); 2 Support (2011–2020); 3 Billing (3001)');
    await fetch(`${url}/sim/clock/advance`, { method: 'POST', body: '{"ms":120000}' });
    const t = (await fetch(`${url}/sim/traffic`).then((r) => r.json())) as { on: boolean; started: number };
    expect(t.on).toBe(true);
    expect(t.started).toBeGreaterThan(10);
    p.child.kill('SIGTERM');
    expect(await exitCode(p.child)).toBe(0);
  });
});
