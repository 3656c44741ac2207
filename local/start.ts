/**
 * `npm start`: the local stack — Slack handlers, worker, keeper, dynalite, the CC-Gateway
 * simulator (or CCGW_BASE_URL), a local Slack Web API and the browser console at /console/ — in one
 * process. With SLACK_APP_TOKEN + SLACK_BOT_TOKEN: Socket Mode against a real workspace, no console.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RunningSimulator } from '../simulator/index';
import { createLogger } from '../src/log';
import {
  DEMO_USERS,
  ListenError,
  LOCAL_ALERTS_SECRET,
  LOCAL_CHANNEL,
  LOCAL_SIGNING_SECRET,
  type LocalStack,
  SocketModeError,
  startLocalStack,
} from './stack';
import { defaultStackFile, removeStackFile, type StackFile, writeStackFile } from './stack-file';
import { listenErrorLine, planStart, START_USAGE } from './start-options';

type Env = Record<string, string | undefined>;

export interface StartIo {
  out(line: string): void;
  err(line: string): void;
  /** Where `npm run slack` looks for the running stack (tests: a temporary file). */
  stackFile?: string;
}

export interface Started {
  stack: LocalStack;
  /** Stops the stack and forgets the stack file. */
  stop(): Promise<void>;
}

/** Parses, validates and starts; an exit code (after one line saying why) when it cannot. */
export async function main(argv: string[], env: Env, io: StartIo): Promise<number | Started> {
  const plan = planStart(argv, env);
  if (plan.kind === 'help') {
    io.out(START_USAGE);
    return 0;
  }
  if (plan.kind === 'error') {
    io.err(`qc-slack: ${plan.message}${plan.showUsage ? `\n\n${START_USAGE}` : ''}`);
    return 2;
  }
  let stack: LocalStack;
  try {
    stack = await startLocalStack({ ...plan.options, logger: createLogger(plan.logLevel) });
  } catch (err) {
    if (err instanceof ListenError) {
      io.err(`qc-slack: ${listenErrorLine(err.port, err.code, plan.portSetting)}`);
      return 2;
    }
    if (err instanceof SocketModeError) {
      io.err(
        `qc-slack: ${err.message}: check SLACK_APP_TOKEN (xapp-…, scope connections:write) and SLACK_BOT_TOKEN, and that Socket Mode is on in the app's settings`,
      );
      return 2;
    }
    throw err;
  }
  // Slack's 3 s (trigger_ids expire, late acks become operation_timeout in the console), as in e2e tests.
  stack.slack.setDeadlines(true);
  const stackFile = io.stackFile ?? defaultStackFile();
  const entry: StackFile = { url: stack.url, pid: process.pid };
  const unwritten = writeStackFile(stackFile, entry);
  io.out(await banner(stack, env, plan.options));
  if (unwritten) io.out(`(npm run slack will not find this stack by itself: ${unwritten}; give it --port)`);
  return {
    stack,
    stop: async () => {
      removeStackFile(stackFile, entry);
      await stack.close();
    },
  };
}

async function banner(
  stack: LocalStack,
  env: Env,
  options: { dataDir?: string; socketMode?: unknown; adminUserIds?: ReadonlySet<string> },
): Promise<string> {
  const gatewayLine = stack.sim ? `${stack.sim.url} (simulator; CA ${stack.sim.caFile})` : env.CCGW_BASE_URL;
  const trafficLine = stack.sim ? `\n  Traffic            ${trafficWords(stack.sim)}` : '';
  const dbLine = `${stack.db.endpoint} table ${stack.db.tableName}${options.dataDir ? ` (data in ${options.dataDir})` : ' (in memory)'}`;
  if (options.socketMode) {
    return `
qc-slack is up in Socket Mode (a real Slack workspace)

  CC-Gateway         ${gatewayLine}
  DynamoDB           ${dbLine}
  Admins             ${[...(options.adminUserIds ?? [])].join(', ') || 'none: set QC_ADMIN_USER_IDS to link users'}

In Slack: /qc link @you 1001 70001 (as an admin), then /qc signin, /qc listen 2005, /intercept 2005.
Ctrl-C stops everything.
`;
  }
  const users = DEMO_USERS.map(
    (u) =>
      `    ${u.id.padEnd(11)} ${'inspectorId' in u ? `inspector ${u.inspectorId} (phone ${u.phone})` : 'isAdmin' in u ? 'admin (can /qc link)' : 'not linked'}`,
  ).join('\n');
  const consoleLine = await stack.console?.bundle().then(
    (b) =>
      `${stack.url}/console/   ← open this in a browser (bundle ${Math.round(b.js.length / 1024)} KB, built in ${b.ms} ms)`,
    (err: unknown) =>
      `unavailable: the page did not build (${err instanceof Error ? err.message.split('\n')[0] : String(err)})`,
  );
  return `
qc-slack local stack is up

  Console            ${consoleLine}
  CC-Gateway         ${gatewayLine}${trafficLine}
  DynamoDB           ${dbLine}
  Channel            ${LOCAL_CHANNEL} (#qc-floor)
  Demo users         (the console's "Acting as"; gateway password: simulator)
${users}

  Slack endpoint     POST ${stack.url}/slack/events   (signing secret: ${LOCAL_SIGNING_SECRET})
  Alerts             POST ${stack.url}/alerts   (secret: ${LOCAL_ALERTS_SECRET})
  Gateway events     POST ${stack.url}/gateway/events
  Local Slack API    ${stack.url}/api/   (messages: GET ${stack.url}/_local/messages)

In the console type /qc signin, then /qc listen 2005 and /intercept 2005. From a terminal instead
(npm run slack finds this stack on its own):
  npm run slack -- "/qc signin" --password simulator
  npm run slack -- "/qc listen 2005"

Ctrl-C stops everything.
`;
}

/** The banner's traffic line: what runs, and how to switch it. */
export function trafficWords(sim: RunningSimulator): string {
  const t = sim.sim.traffic.status();
  if (!t.on) return "off (npm start -- --traffic, or the console's call-centre panel)";
  return `on: ${t.callsPerMinute} calls a minute, ${t.meanTalkSeconds} s talk on average, seed ${t.seed} (the console's call-centre panel switches it)`;
}

/**
 * Ctrl-C (or SIGTERM) stops quietly; another one later exits at once. A terminal's Ctrl-C reaches npm,
 * tsx and this process, and tsx may relay it once more: a repeat within a second is the same Ctrl-C.
 */
function stopOnSignals(started: Started): void {
  let firstAt: number | undefined;
  const stop = async (signal: string) => {
    if (firstAt !== undefined) {
      if (Date.now() - firstAt < 1_000) return;
      console.log(`${signal} again: exiting now`);
      process.exit(130);
    }
    firstAt = Date.now();
    console.log(`\n${signal}: stopping…`);
    await started.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

const invokedDirectly =
  process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  // This machine class runs Node 20; Lambda runs Node 22. The AWS SDK's "upgrade Node" notice would
  // be the first thing a newcomer reads, and it is not about qc-slack: keep it out of the banner.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const result = await main(process.argv.slice(2), process.env, {
    out: (l) => console.log(l),
    err: (l) => console.error(l),
  });
  if (typeof result === 'number') process.exit(result);
  stopOnSignals(result);
}
