/**
 * `npm start`: the local stack — Slack handlers, worker, keeper, dynalite, the CC-Gateway
 * simulator (or CCGW_BASE_URL), a local Slack Web API and the browser console at /console/ — in one
 * process. With SLACK_APP_TOKEN + SLACK_BOT_TOKEN: Socket Mode against a real workspace, no console.
 */
import { parseArgs } from 'node:util';
import { adminUserIdsConfig, ConfigError, gatewayConfig, socketModeConfig } from '../config';
import {
  DEMO_USERS,
  LOCAL_ALERTS_SECRET,
  LOCAL_CHANNEL,
  LOCAL_SIGNING_SECRET,
  startLocalStack,
} from './stack';

// This machine class runs Node 20; Lambda runs Node 22. The AWS SDK's "upgrade Node" notice would
// be the first thing a newcomer reads, and it is not about qc-slack: keep it out of the banner.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    'data-dir': { type: 'string' },
    push: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

if (values.help) {
  console.log(`qc-slack local stack

  npm start [-- --port 3000] [--data-dir .data] [--push]

  --port       HTTP port (default $PORT or 3000)
  --data-dir   keep the DynamoDB table on disk (default: in memory)
  --push       sign inspectors in in push mode (events POSTed to /gateway/events)

  Open the printed console URL (http://127.0.0.1:3000/console/) and use qc-slack as a supervisor would.

  CCGW_BASE_URL (+ CCGW_CA_FILE) points at a real gateway instead of the simulator.
  SLACK_APP_TOKEN + SLACK_BOT_TOKEN: a real workspace over Socket Mode instead of the local
  Slack API (QC_ADMIN_USER_IDS names the admins; link users with /qc link @user <inspectorId>).`);
  process.exit(0);
}

const port = Number(values.port ?? process.env.PORT ?? 3000);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port must be a TCP port number (got ${values.port ?? process.env.PORT})`);
  process.exit(2);
}

let gateway: ReturnType<typeof gatewayConfig> | undefined;
let socketMode: ReturnType<typeof socketModeConfig>;
try {
  gateway = process.env.CCGW_BASE_URL ? gatewayConfig() : undefined;
  socketMode = socketModeConfig();
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  console.error(`qc-slack: ${err.message}`);
  process.exit(2);
}
const stack = await startLocalStack({
  port,
  ...(values['data-dir'] ? { dataDir: values['data-dir'] } : {}),
  ...(gateway ? { gateway } : {}),
  ...(socketMode ? { socketMode, adminUserIds: adminUserIdsConfig() } : {}),
  push: values.push,
});

const users = DEMO_USERS.map(
  (u) =>
    `    ${u.id.padEnd(11)} ${'inspectorId' in u ? `inspector ${u.inspectorId} (phone ${u.phone})` : 'isAdmin' in u ? 'admin (can /qc link)' : 'not linked'}`,
).join('\n');
if (socketMode) {
  console.log(`
qc-slack is up in Socket Mode (a real Slack workspace)

  CC-Gateway         ${stack.sim ? `${stack.sim.url} (simulator; CA ${stack.sim.caFile})` : process.env.CCGW_BASE_URL}
  DynamoDB           ${stack.db.endpoint} table ${stack.db.tableName}${values['data-dir'] ? ` (data in ${values['data-dir']})` : ' (in memory)'}
  Admins             ${[...adminUserIdsConfig()].join(', ') || 'none: set QC_ADMIN_USER_IDS to link users'}

In Slack: /qc link @you 1001 70001 (as an admin), then /qc signin, /qc listen 2005, /intercept 2005.
Ctrl-C stops everything.
`);
} else {
  const consoleLine = await stack.console?.bundle().then(
    (b) =>
      `${stack.url}/console/   ← open this in a browser (bundle ${Math.round(b.js.length / 1024)} KB, built in ${b.ms} ms)`,
    (err: unknown) =>
      `unavailable: the page did not build (${err instanceof Error ? err.message.split('\n')[0] : String(err)})`,
  );
  console.log(`
qc-slack local stack is up

  Console            ${consoleLine}
  CC-Gateway         ${stack.sim ? `${stack.sim.url} (simulator; CA ${stack.sim.caFile})` : process.env.CCGW_BASE_URL}
  DynamoDB           ${stack.db.endpoint} table ${stack.db.tableName}${values['data-dir'] ? ` (data in ${values['data-dir']})` : ' (in memory)'}
  Channel            ${LOCAL_CHANNEL} (#qc-floor)
  Demo users         (the console's "Acting as"; gateway password: simulator)
${users}

  Slack endpoint     POST ${stack.url}/slack/events   (signing secret: ${LOCAL_SIGNING_SECRET})
  Alerts             POST ${stack.url}/alerts   (secret: ${LOCAL_ALERTS_SECRET})
  Gateway events     POST ${stack.url}/gateway/events
  Local Slack API    ${stack.url}/api/   (messages: GET ${stack.url}/_local/messages)

In the console type /qc signin, then /qc listen 2005 and /intercept 2005. From a terminal instead:
  npm run slack -- "/qc signin" --password simulator
  npm run slack -- "/qc listen 2005"

Ctrl-C stops everything.
`);
}

let stopping = false;
const stop = async (signal: string) => {
  if (stopping) {
    console.log(`${signal} again: exiting now`);
    process.exit(130);
  }
  stopping = true;
  console.log(`\n${signal}: stopping…`);
  await stack.close();
  process.exit(0);
};
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
