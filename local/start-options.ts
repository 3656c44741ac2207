/**
 * `npm start`'s flags and settings → what to start, or the one line that says what is wrong. Every
 * setting comes from the same config functions as on Lambda (gateway tuning, QC policy, LOG_LEVEL), so
 * a bad one fails fast naming it, and a good one applies to the simulator too.
 */
import { parseArgs } from 'node:util';
import type { TrafficSettings } from '../simulator/index';
import {
  ConfigError,
  gatewayConfig,
  gatewaySettingsConfig,
  localPortConfig,
  logLevelConfig,
  qcPolicyConfig,
  socketModeConfig,
} from '../src/config';
import type { LocalStackOptions } from './stack';

type Env = Record<string, string | undefined>;

export const START_USAGE = `qc-slack local stack

  npm start [-- --port 3000] [--data-dir .data] [--push] [--traffic]

  --port       HTTP port (default $PORT or 3000), e.g. npm start -- --port 3001
  --data-dir   keep the DynamoDB table on disk (default: in memory)
  --push       sign inspectors in in push mode (events POSTed to /gateway/events)
  --traffic    the simulator's customer calls start and end on their own (the floor moves)
  --calls-per-minute N   traffic: mean arrivals a minute over all agents (default 10; implies --traffic)
  --mean-talk-seconds N  traffic: mean talk time (default 60; implies --traffic)
  --seed N               traffic: seed of its random choices (default 1)

  Open the printed console URL (http://127.0.0.1:3000/console/) and use qc-slack as a supervisor would.

  CCGW_BASE_URL (+ CCGW_CA_FILE) points at a real gateway instead of the simulator. The other
  settings (CCGW_*_TIMEOUT_MS, CCGW_MAX_AGENT_ID, QC_DEFAULT_PERMISSIONS, LOG_LEVEL) apply to both.
  SLACK_APP_TOKEN + SLACK_BOT_TOKEN: a real workspace over Socket Mode instead of the local
  Slack API (QC_ADMIN_USER_IDS names the admins; link users with /qc link @user <inspectorId>).`;

export type StartPlan =
  | { kind: 'help' }
  | { kind: 'error'; message: string; showUsage?: boolean }
  | {
      kind: 'start';
      port: number;
      logLevel: string;
      /** Where the port came from, to name it in errors ('--port' or 'PORT'). */
      portSetting: '--port' | 'PORT';
      options: Omit<LocalStackOptions, 'logger'>;
    };

function parseFlags(argv: string[]) {
  return parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      port: { type: 'string' },
      'data-dir': { type: 'string' },
      push: { type: 'boolean', default: false },
      traffic: { type: 'boolean', default: false },
      'calls-per-minute': { type: 'string' },
      'mean-talk-seconds': { type: 'string' },
      seed: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
}

function portFromFlag(raw: string): number | undefined {
  const port = Number(raw);
  return raw.trim() !== '' && Number.isInteger(port) && port >= 0 && port <= 65535 ? port : undefined;
}

type Flags = ReturnType<typeof parseFlags>['values'];

class FlagError extends Error {}

/** A number flag within [min, max] (integers only where `integer`), or FlagError naming it. */
function numberFlag(
  flags: Flags,
  name: 'calls-per-minute' | 'mean-talk-seconds' | 'seed',
  min: number,
  max: number,
) {
  const raw = flags[name];
  if (raw === undefined) return undefined;
  const n = Number(raw);
  const integer = name === 'seed';
  if (raw.trim() === '' || !Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n)))
    throw new FlagError(
      `--${name} must be ${integer ? 'a whole number' : 'a number'} from ${min} to ${max} (got "${raw}")`,
    );
  return n;
}

/** --traffic and its settings (a setting alone turns traffic on, as in `npm run simulator`). */
function trafficFlags(flags: Flags): Partial<TrafficSettings> | undefined {
  const callsPerMinute = numberFlag(flags, 'calls-per-minute', 0.01, 60_000);
  const meanTalkSeconds = numberFlag(flags, 'mean-talk-seconds', 1, 86_400);
  const seed = numberFlag(flags, 'seed', 0, 4_294_967_295);
  if (!flags.traffic && callsPerMinute === undefined && meanTalkSeconds === undefined) {
    if (seed !== undefined) throw new FlagError("--seed sets the traffic's seed: add --traffic");
    return undefined;
  }
  return {
    ...(callsPerMinute !== undefined ? { callsPerMinute } : {}),
    ...(meanTalkSeconds !== undefined ? { meanTalkSeconds } : {}),
    ...(seed !== undefined ? { seed } : {}),
  };
}

/** argv (after the script) + environment → the plan. Pure apart from reading CCGW_CA_FILE. */
export function planStart(argv: string[], env: Env): StartPlan {
  let flags: Flags;
  try {
    flags = parseFlags(argv).values;
  } catch (err) {
    // node's parseArgs: "Unknown option '--prot'. To specify a positional argument…": the first sentence says it.
    const first = (err instanceof Error ? err.message : String(err)).split('. ')[0] ?? '';
    return { kind: 'error', message: first, showUsage: true };
  }
  if (flags.help) return { kind: 'help' };
  try {
    let port: number;
    if (flags.port !== undefined) {
      const fromFlag = portFromFlag(flags.port);
      if (fromFlag === undefined)
        return {
          kind: 'error',
          message: `--port must be a TCP port number from 0 to 65535 (got "${flags.port}")`,
        };
      port = fromFlag;
    } else {
      port = localPortConfig(env);
    }
    const logLevel = logLevelConfig(env, 'warn');
    const gateway = env.CCGW_BASE_URL?.trim() ? gatewayConfig(env) : undefined;
    const gatewaySettings = gatewaySettingsConfig(env);
    const policy = qcPolicyConfig(env);
    const socketMode = socketModeConfig(env);
    const dataDir = flags['data-dir'];
    const traffic = trafficFlags(flags);
    if (traffic && gateway)
      return {
        kind: 'error',
        message: '--traffic drives the simulator: it cannot be used with CCGW_BASE_URL',
      };
    return {
      kind: 'start',
      port,
      portSetting: flags.port !== undefined ? '--port' : 'PORT',
      logLevel,
      options: {
        port,
        ...(dataDir ? { dataDir } : {}),
        ...(gateway ? { gateway } : { gatewaySettings }),
        defaultPermissions: policy.defaultPermissions,
        ...(socketMode ? { socketMode, adminUserIds: policy.adminUserIds } : {}),
        push: flags.push,
        ...(traffic ? { simulator: { traffic } } : {}),
      },
    };
  } catch (err) {
    if (err instanceof ConfigError || err instanceof FlagError)
      return { kind: 'error', message: err.message };
    throw err;
  }
}

/** The one line for a port that cannot be opened, with the fix. */
export function listenErrorLine(port: number, code: string, setting: '--port' | 'PORT'): string {
  const other = port === 3001 ? 3002 : 3001;
  const fix = `pick another: npm start -- --port ${other}  (or PORT=${other} npm start)`;
  if (code === 'EADDRINUSE') return `port ${port} is in use (another npm start, or another program); ${fix}`;
  if (code === 'EACCES') return `port ${port} (${setting}) needs privileges this user lacks; ${fix}`;
  return `cannot open port ${port} (${setting}): ${code}; ${fix}`;
}
