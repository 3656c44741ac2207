/**
 * `npm run alert -- --channel C_QC --agent 2005 --reason "Customer asked for a supervisor"` — act as a
 * monitoring system: build the alert JSON, sign it (x-qc-timestamp, x-qc-signature: v1=…) with the alerts
 * secret, POST it, print the JSON answer. Exit 0 on 2xx, 1 otherwise, 2 on bad arguments.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { signAlert } from '../src/alerts/signature';

export const LOCAL_ALERTS_SECRET = 'local-alerts-secret';

export const USAGE = `Usage: npm run alert -- --agent <id> --reason <text> [options]

Acts as a monitoring system (speech analytics, CMS thresholds, a wallboard): signs an alert with the
alerts secret and POSTs it to qc-slack, which posts it in the channel with QC buttons. Prints the JSON
answer; the exit code is 0 for a 2xx answer, 1 otherwise (2 for bad arguments).

Options:
  --url <url>          the alerts endpoint (default http://127.0.0.1:$PORT/alerts, PORT default 3000)
  --secret <s>         the alerts secret (default $ALERTS_SECRET, else '${LOCAL_ALERTS_SECRET}' as npm start uses)
  --channel <id>       Slack channel ID to post in (default C_QC)
  --agent <id>         the agent's ID (work number), e.g. 2005            (required)
  --reason <text>      why the call is worth a look, up to 300 characters  (required)
  --severity <s>       info | warning | critical (default: the server's, warning)
  --call-id <id>       the call, as the gateway prints it, e.g. 1456401416-3
  --customer <text>    who the customer is, up to 100 characters
  --details <text>     more context, up to 1000 characters
  --timeout <seconds>  give up after this long (default 10)
  -h, --help           this help

Examples:
  npm run alert -- --agent 2005 --reason "Customer asked for a supervisor"
  npm run alert -- --url http://127.0.0.1:3000/alerts --secret local-alerts-secret --channel C_QC \\
    --agent 2005 --reason "Negative sentiment for 40 s" --severity critical --call-id 1456401416-3
`;

export interface SendOptions {
  url: string;
  secret: string;
  timeoutMs: number;
  alert: {
    channel: string;
    agentId: string;
    reason: string;
    severity?: string;
    callId?: string;
    customer?: string;
    details?: string;
  };
}

export type ParsedSendArgs = { help: true } | { error: string } | { options: SendOptions };

/** argv (after the script name) + env → options. Pure; checks only what the server cannot (required flags). */
export function parseSendArgs(argv: string[], env: Record<string, string | undefined> = {}): ParsedSendArgs {
  let values: ReturnType<typeof parseStrict>['values'];
  try {
    values = parseStrict(argv).values;
  } catch (err) {
    return { error: err instanceof Error ? err.message : String(err) };
  }
  if (values.help) return { help: true };
  if (values.agent === undefined) return { error: 'missing --agent, the agent ID, e.g. --agent 2005' };
  if (values.reason === undefined)
    return { error: 'missing --reason, e.g. --reason "Customer asked for a supervisor"' };
  const url = values.url ?? `http://127.0.0.1:${env.PORT || '3000'}/alerts`;
  if (!/^https?:\/\//.test(url)) return { error: `--url must start with http:// or https://: got "${url}"` };
  const timeout = values.timeout === undefined ? 10 : Number(values.timeout);
  if (!Number.isFinite(timeout) || timeout <= 0) {
    return { error: `--timeout must be a positive number of seconds: got "${values.timeout}"` };
  }
  const alert: SendOptions['alert'] = {
    channel: values.channel ?? 'C_QC',
    agentId: values.agent,
    reason: values.reason,
  };
  if (values.severity !== undefined) alert.severity = values.severity;
  if (values['call-id'] !== undefined) alert.callId = values['call-id'];
  if (values.customer !== undefined) alert.customer = values.customer;
  if (values.details !== undefined) alert.details = values.details;
  return {
    options: {
      url,
      secret: values.secret ?? (env.ALERTS_SECRET || LOCAL_ALERTS_SECRET),
      timeoutMs: Math.round(timeout * 1000),
      alert,
    },
  };
}

function parseStrict(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: false,
    strict: true,
    options: {
      url: { type: 'string' },
      secret: { type: 'string' },
      channel: { type: 'string' },
      agent: { type: 'string' },
      reason: { type: 'string' },
      severity: { type: 'string' },
      'call-id': { type: 'string' },
      customer: { type: 'string' },
      details: { type: 'string' },
      timeout: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

/** The body and headers of the signed request (exported for tests). */
export function signedAlertRequest(
  options: SendOptions,
  nowMs: number = Date.now(),
): { body: string; headers: Record<string, string> } {
  const body = JSON.stringify(options.alert);
  const timestamp = Math.floor(nowMs / 1000);
  return {
    body,
    headers: {
      'content-type': 'application/json',
      'x-qc-timestamp': String(timestamp),
      'x-qc-signature': signAlert(options.secret, timestamp, body),
    },
  };
}

/** Sends the alert; prints the answer (JSON, pretty) with `out`, problems with `err`. Returns the exit code. */
export async function sendAlert(
  options: SendOptions,
  out: (line: string) => void = console.log,
  err: (line: string) => void = console.error,
): Promise<number> {
  const { body, headers } = signedAlertRequest(options);
  let res: Response;
  try {
    res = await fetch(options.url, {
      method: 'POST',
      headers,
      body,
      signal: AbortSignal.timeout(options.timeoutMs),
    });
  } catch (e) {
    const cause = (e as { cause?: { code?: string; message?: string } }).cause;
    const why = cause?.code ?? cause?.message ?? (e instanceof Error ? e.message : String(e));
    err(`Cannot reach ${options.url} (${why}). Locally, start the stack with: npm start`);
    return 1;
  }
  const text = await res.text();
  let shown = text;
  try {
    shown = JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    // not JSON: print it as it came
  }
  out(shown);
  if (res.ok) return 0;
  err(`HTTP ${res.status}${res.status === 401 ? ' — check --secret (or ALERTS_SECRET) and the clock' : ''}`);
  return 1;
}

async function main(): Promise<number> {
  const parsed = parseSendArgs(process.argv.slice(2), process.env);
  if ('help' in parsed) {
    console.log(USAGE);
    return 0;
  }
  if ('error' in parsed) {
    console.error(`${parsed.error}\n\n${USAGE}`);
    return 2;
  }
  return sendAlert(parsed.options);
}

const invokedDirectly =
  process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  main().then(
    (code) => process.exit(code),
    (e: unknown) => {
      console.error(e instanceof Error ? e.message : String(e));
      process.exit(1);
    },
  );
}
