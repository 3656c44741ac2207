import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startLocalStack } from '../../local/stack';
import { readStackFile } from '../../local/stack-file';
import { main, type Started } from '../../local/start';
import { planStart, START_USAGE } from '../../local/start-options';
import { ConfigError, logLevelConfig } from '../../src/config';
import { GatewayTransportError } from '../../src/gateway/errors';
import { Secret } from '../../src/gateway/secret';
import { DEFAULT_PERMISSIONS } from '../../src/qc/permissions';
import { SlackDriver } from '../e2e/driver';
import { captureLogger } from '../helpers/log-capture';

/** `npm start` as a user meets it: what a bad flag or setting prints, and that good settings apply. */

function io() {
  const out: string[] = [];
  const err: string[] = [];
  const stackFile = join(mkdtempSync(join(tmpdir(), 'qc-start-')), 'stack.json');
  return {
    out,
    err,
    stackFile,
    io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l), stackFile },
  };
}

const planError = (argv: string[], env: Record<string, string>) => {
  const plan = planStart(argv, env);
  if (plan.kind !== 'error') throw new Error(`expected an error, got ${plan.kind}`);
  return plan.message;
};

describe('npm start: a bad flag or setting is one line naming it', () => {
  it('gateway settings and the QC policy are validated in every mode, simulator included', () => {
    expect(planError([], { CCGW_MAX_AGENT_ID: 'x' })).toBe(
      'CCGW_MAX_AGENT_ID must be a whole number from 59999 to 999999 (got "x")',
    );
    expect(planError([], { CCGW_REQUEST_TIMEOUT_MS: 'soon' })).toMatch(/^CCGW_REQUEST_TIMEOUT_MS must be/);
    expect(planError([], { CCGW_CONNECT_TIMEOUT_MS: '5' })).toMatch(/^CCGW_CONNECT_TIMEOUT_MS must be/);
    expect(planError([], { QC_DEFAULT_PERMISSIONS: 'listen,fly' })).toMatch(/^QC_DEFAULT_PERMISSIONS: fly/);
  });

  it('LOG_LEVEL: the valid values, not a pino stack trace', () => {
    expect(planError([], { LOG_LEVEL: 'verbose' })).toBe(
      'LOG_LEVEL must be one of trace, debug, info, warn, error, fatal, silent (got "verbose")',
    );
    expect(() => logLevelConfig({ LOG_LEVEL: 'verbose' })).toThrow(ConfigError);
    expect(logLevelConfig({ LOG_LEVEL: ' DEBUG ' })).toBe('debug');
    expect(logLevelConfig({})).toBe('info');
    expect(logLevelConfig({}, 'warn')).toBe('warn');
  });

  it('the port: the setting the user used is named', () => {
    expect(planError([], { PORT: 'abc' })).toBe('PORT must be a whole number from 0 to 65535 (got "abc")');
    expect(planError(['--port', 'abc'], {})).toBe(
      '--port must be a TCP port number from 0 to 65535 (got "abc")',
    );
    expect(planError(['--port', '70000'], { PORT: '3000' })).toMatch(/^--port must be/);
  });

  it('an unknown flag or a stray word: the usage, no TypeError', async () => {
    const t = io();
    expect(await main(['--prot', '3001'], {}, t.io)).toBe(2);
    expect(t.err).toEqual([`qc-slack: Unknown option '--prot'\n\n${START_USAGE}`]);
    expect(t.err.join('\n')).not.toMatch(/TypeError|ERR_PARSE_ARGS|at .*\.ts:/);
    const s = io();
    expect(await main(['3001'], {}, s.io)).toBe(2);
    expect(s.err[0]).toMatch(/^qc-slack: Unexpected argument '3001'/);
  });

  it('main prints the bad setting in one line and starts nothing', async () => {
    const t = io();
    expect(await main([], { LOG_LEVEL: 'verbose' }, t.io)).toBe(2);
    expect(t.err).toEqual([
      'qc-slack: LOG_LEVEL must be one of trace, debug, info, warn, error, fatal, silent (got "verbose")',
    ]);
    expect(t.out).toEqual([]);
  });

  it('a port in use: one line with the fix, nothing else started', async () => {
    const busy = createServer();
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r));
    const port = (busy.address() as AddressInfo).port;
    try {
      const t = io();
      expect(await main(['--port', String(port)], { LOG_LEVEL: 'silent' }, t.io)).toBe(2);
      expect(t.err).toEqual([
        `qc-slack: port ${port} is in use (another npm start, or another program); pick another: npm start -- --port 3001  (or PORT=3001 npm start)`,
      ]);
      expect(t.out).toEqual([]);
    } finally {
      await new Promise((r) => busy.close(r));
    }
  });
});

describe('npm start -- --traffic', () => {
  const simulatorOf = (argv: string[]) => {
    const plan = planStart(argv, {});
    if (plan.kind !== 'start') throw new Error(plan.kind === 'error' ? plan.message : plan.kind);
    return plan.options.simulator;
  };

  it('the flags become the simulator traffic settings (a setting alone turns it on)', () => {
    expect(simulatorOf([])).toBeUndefined();
    expect(simulatorOf(['--traffic'])).toEqual({ traffic: {} });
    expect(simulatorOf(['--calls-per-minute', '30', '--mean-talk-seconds', '20', '--seed', '7'])).toEqual({
      traffic: { callsPerMinute: 30, meanTalkSeconds: 20, seed: 7 },
    });
  });

  it('a bad value is named in one line', () => {
    expect(planError(['--calls-per-minute', 'lots'], {})).toBe(
      '--calls-per-minute must be a number from 0.01 to 60000 (got "lots")',
    );
    expect(planError(['--mean-talk-seconds', '0'], {})).toMatch(
      /^--mean-talk-seconds must be a number from 1/,
    );
    expect(planError(['--traffic', '--seed', '1.5'], {})).toMatch(/^--seed must be a whole number/);
    expect(planError(['--seed', '3'], {})).toBe("--seed sets the traffic's seed: add --traffic");
    expect(planError(['--traffic'], { CCGW_BASE_URL: 'https://gw.example:8043' })).toBe(
      '--traffic drives the simulator: it cannot be used with CCGW_BASE_URL',
    );
  });

  it('the stack starts with traffic on and the banner says so', async () => {
    const t = io();
    const result = await main(
      ['--traffic', '--calls-per-minute', '20'],
      { PORT: '0', LOG_LEVEL: 'silent' },
      t.io,
    );
    if (typeof result === 'number') throw new Error(t.err.join('\n'));
    try {
      expect(result.stack.sim?.sim.traffic.status()).toMatchObject({ on: true, callsPerMinute: 20 });
      expect(t.out.join('\n')).toMatch(/Traffic +on: 20 calls a minute, 60 s talk on average, seed 1/);
    } finally {
      await result.stop();
    }
  });
});

describe('npm start: the settings apply to the local stack', () => {
  it('defaults when nothing is set', () => {
    const plan = planStart([], {});
    if (plan.kind !== 'start') throw new Error(plan.kind);
    expect(plan.port).toBe(3000);
    expect(plan.logLevel).toBe('warn');
    expect(plan.options.gatewaySettings?.maxAgentId).toBe(59999);
    expect(plan.options.defaultPermissions).toEqual(DEFAULT_PERMISSIONS);
  });

  it('CCGW_MAX_AGENT_ID and QC_DEFAULT_PERMISSIONS reach the app; the stack file names the URL', async () => {
    const t = io();
    const result = await main(
      [],
      { PORT: '0', LOG_LEVEL: 'silent', CCGW_MAX_AGENT_ID: '999999', QC_DEFAULT_PERMISSIONS: 'none' },
      t.io,
    );
    if (typeof result === 'number') throw new Error(t.err.join('\n'));
    const started: Started = result;
    try {
      const { stack } = started;
      expect(readStackFile(t.stackFile)).toEqual({ url: stack.url, pid: process.pid });
      expect(statSync(t.stackFile).mode & 0o777).toBe(0o600);
      expect(t.out.join('\n')).toContain(`${stack.url}/console/`);
      const slack = new SlackDriver(stack);
      // 70000 is past the older gateways' 59999 but within CCGW_MAX_AGENT_ID.
      const wide = await slack.command('/qc listen 70000', 'U_STRANGER');
      expect(wide.text).not.toMatch(/59999/);
      await slack.signIn('U_DEMO');
      const before = stack.slack.store.messages.length;
      await slack.command('/qc listen 2005', 'U_DEMO');
      const answer = await stack.slack.store.waitFor((s) =>
        s.messages.slice(before).find((m) => /not allowed to/.test(m.text ?? '')),
      );
      expect(answer.text).toMatch(/needs the "listen" permission/);
    } finally {
      await started.stop();
    }
    expect(readStackFile(t.stackFile)).toBeUndefined();
    expect(() => readFileSync(t.stackFile)).toThrow();
  });
});

describe('stopping the stack', () => {
  it('cuts held long polls without a warning: shutting down is not a failure', async () => {
    const logs = captureLogger();
    const stack = await startLocalStack({ logger: logs, keeper: { rescanMs: 100 } });
    const sim = stack.sim?.sim;
    if (!sim) throw new Error('no simulator');
    let held: Promise<unknown> | undefined;
    try {
      await new SlackDriver(stack).signIn('U_DEMO');
      const guid = sim.currentGuid('1001');
      if (!guid) throw new Error('not signed in');
      // A long poll the simulator holds (10 s) when the stack stops, as the keeper's are on Ctrl-C.
      held = stack.deps.gateway
        .pollEvent({ agentId: '1001', guid: new Secret(guid) })
        .catch((err: unknown) => err);
    } finally {
      await stack.close();
    }
    expect(await held).toBeInstanceOf(GatewayTransportError);
    expect(logs.lines.filter((l) => /"level":"(warn|error)"/.test(l))).toEqual([]);
  });
});
