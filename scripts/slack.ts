/**
 * `npm run slack -- "/intercept 2005" --user U_DEMO` — act as Slack towards the local stack (`npm start`):
 * find the running stack (the URL `npm start` recorded, else $PORT or 3000; checked on GET /healthz), sign
 * and POST a slash command to /slack/events, print the ack, then follow the local fake Slack's messages
 * (channel posts, thread replies, ephemerals, edits) until the app has no job left and nothing changed for
 * --settle seconds (at most --wait). With --password, a modal opened for the user (e.g. by `/qc signin`)
 * is submitted with that password.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  commandAckFailure,
  renderMessage,
  renderView,
  SLACK_DEADLINE_MS,
  type StoredMessage,
  type StoredView,
  viewAckFailure,
} from '../local/slack-api/index';
import { interactionBody, signedHeaders, slashCommandBody, viewSubmissionPayload } from '../local/slack-sign';
import { defaultStackFile, readStackFile } from '../local/stack-file';

export const LOCAL_DEFAULT_SECRET = 'local-signing-secret';
const DEFAULT_SETTLE_S = 1.5;
const DEFAULT_WAIT_S = 30;

export const USAGE = `Usage: npm run slack -- "<slash command>" [options]

Acts as Slack towards the local stack (npm start): signs and sends the slash command to
<url>/slack/events, prints the ack, then prints the messages the app posts (channel, thread
replies "↳", ephemerals "(only you)", edits) until the app has no job left and nothing new
arrived for --settle seconds.

Options:
  --user <id>        Slack user id of the sender (default U_DEMO)
  --channel <id>     channel the command is typed in (default C_QC)
  --team <id>        team id (default T_LOCAL)
  --port <n>         the local stack's port (default: the running npm start's, else $PORT or 3000)
  --url <url>        the local stack's URL instead (e.g. http://127.0.0.1:3101)
  --secret <s>       signing secret (default $SLACK_SIGNING_SECRET or '${LOCAL_DEFAULT_SECRET}')
  --settle <seconds> done once nothing new arrived for this long (default ${DEFAULT_SETTLE_S})
  --wait <seconds>   follow for at most this long (default ${DEFAULT_WAIT_S})
  --password <pw>    if the app opens a modal for you (e.g. /qc signin), submit it with this password
                     in its first password input (other inputs keep their initial values)
  --json             print JSON lines instead of text
  -h, --help         this help

Examples:
  npm run slack -- "/intercept 2005"
  npm run slack -- "/listen 2005" --user U_DEMO --channel C_QC
  npm run slack -- "/qc signin" --password simulator     sign in from the terminal (the sign-in
                                                          modal otherwise needs the console page)
  npm run slack -- "/qc help" --json
  npm run slack -- "/qc who" --port 3101                  a stack started with npm start -- --port 3101
`;

export interface CliOptions {
  command: string;
  text: string;
  user: string;
  channel: string;
  team: string;
  /** Where to look for the stack, in order (the first that answers GET /healthz as qc-slack is used). */
  urls: string[];
  secret: string;
  /** Seconds without anything new (and no job left) after which the result has settled. */
  settle: number;
  /** At most this many seconds of following. */
  wait: number;
  json: boolean;
  password?: string;
}

export type ParsedCli = { help: true } | { error: string } | (CliOptions & { help?: false });

function seconds(raw: string | undefined, name: string, fallback: number): number | string {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  return raw.trim() !== '' && Number.isFinite(n) && n >= 0
    ? n
    : `${name} must be a number of seconds: got "${raw}"`;
}

function portUrl(raw: string, name: string): string | { error: string } {
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isInteger(n) || n < 1 || n > 65535)
    return { error: `${name} must be a TCP port number from 1 to 65535: got "${raw}"` };
  return `http://127.0.0.1:${n}`;
}

/** Where to look: --url, else --port, else the URL npm start recorded, then $PORT or 3000. */
function stackUrls(
  values: { url?: string | undefined; port?: string | undefined },
  env: Record<string, string | undefined>,
  recorded?: string,
): string[] | { error: string } {
  if (values.url !== undefined) {
    const url = values.url.replace(/\/+$/, '');
    if (!/^https?:\/\//.test(url))
      return { error: `--url must start with http:// or https://: got "${url}"` };
    return [url];
  }
  if (values.port !== undefined) {
    const url = portUrl(values.port, '--port');
    return typeof url === 'string' ? [url] : url;
  }
  const fallback = portUrl(env.PORT || '3000', 'PORT');
  if (typeof fallback !== 'string') return fallback;
  return [...new Set([...(recorded ? [recorded] : []), fallback])];
}

/** argv (after the script name) + env (+ the URL npm start recorded) → options. Pure. */
export function parseCliArgs(
  argv: string[],
  env: Record<string, string | undefined> = {},
  recordedUrl?: string,
): ParsedCli {
  let parsed: ReturnType<typeof parseArgsStrict>;
  try {
    parsed = parseArgsStrict(argv);
  } catch (err) {
    return { error: err instanceof Error ? err.message : String(err) };
  }
  const { values, positionals } = parsed;
  if (values.help) return { help: true };
  const line = positionals.join(' ').trim();
  if (!line) return { error: 'missing the slash command, e.g. npm run slack -- "/intercept 2005"' };
  if (!line.startsWith('/')) return { error: `a slash command starts with "/": got "${line}"` };
  const space = line.search(/\s/);
  const command = space < 0 ? line : line.slice(0, space);
  const text = space < 0 ? '' : line.slice(space + 1).trim();
  const wait = seconds(values.wait, '--wait', DEFAULT_WAIT_S);
  if (typeof wait === 'string') return { error: wait };
  const settle = seconds(values.settle, '--settle', DEFAULT_SETTLE_S);
  if (typeof settle === 'string') return { error: settle };
  const urls = stackUrls(values, env, recordedUrl);
  if ('error' in urls) return urls;
  const opts: CliOptions = {
    command,
    text,
    user: values.user ?? 'U_DEMO',
    channel: values.channel ?? 'C_QC',
    team: values.team ?? 'T_LOCAL',
    urls,
    secret: values.secret ?? (env.SLACK_SIGNING_SECRET || LOCAL_DEFAULT_SECRET),
    settle,
    wait,
    json: values.json ?? false,
  };
  const password = values.password ?? values['modal-password'];
  if (password !== undefined) opts.password = password;
  return opts;
}

function parseArgsStrict(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      user: { type: 'string' },
      channel: { type: 'string' },
      team: { type: 'string' },
      url: { type: 'string' },
      port: { type: 'string' },
      secret: { type: 'string' },
      settle: { type: 'string' },
      wait: { type: 'string' },
      password: { type: 'string' },
      'modal-password': { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

/** A message as GET /_local/messages returns it. */
export type LocalMessage = StoredMessage & { channelName?: string; author?: string; rendered?: string };

/** One message (or edit) as the CLI prints it: `#qc  qc-slack: …`, replies `  ↳ …`, ephemerals `(only you) …`. */
export function formatMessage(item: LocalMessage, me: string, opts: { edited?: boolean } = {}): string {
  const name = item.channelName ?? item.channel;
  const where = item.channel.startsWith('D') ? `@${name}` : `#${name}`;
  const author = item.author ?? 'qc-slack';
  const isReply = item.threadTs !== undefined && item.threadTs !== item.ts;
  const flags: string[] = [];
  if (item.ephemeralTo) flags.push(item.ephemeralTo === me ? '(only you)' : `(only ${item.ephemeralTo})`);
  if (item.deleted) flags.push('(deleted)');
  else if (opts.edited || item.edits > 0) flags.push('(edited)');
  const head = isReply ? '  ↳ ' : `${where}  `;
  const prefix = `${head}${flags.length ? `${flags.join(' ')} ` : ''}${author}: `;
  const text = item.deleted ? '' : renderMessage(item) || '(no text)';
  const [first = '', ...rest] = text.split('\n');
  const indent = ' '.repeat(isReply ? 4 : head.length);
  return [`${prefix}${first}`.trimEnd(), ...rest.map((l) => `${indent}${l}`)].join('\n');
}

/**
 * An answer that offers the Sign in button ("sign in first"): the button opens a modal the terminal
 * cannot click, so name the command that signs in from here.
 */
export function signInHint(blocks: unknown, user: string): string | undefined {
  const offersSignIn = JSON.stringify(blocks ?? []).includes('"action_id":"qc_open_signin');
  if (!offersSignIn) return undefined;
  const who = user === 'U_DEMO' ? '' : ` --user ${user}`;
  return `  (to sign in from the terminal: npm run slack -- "/qc signin" --password <password>${who})`;
}

/** The ack (HTTP answer of /slack/events) → lines to print. */
export function formatAck(status: number, body: string, ms: number, ctx: { channelName: string }): string {
  const late =
    ms > SLACK_DEADLINE_MS ? ` (over Slack's 3 s: Slack would show "operation_timeout" instead)` : '';
  const head = `HTTP ${status} in ${ms} ms${late}`;
  if (status === 401) return `${head} — signature rejected: check --secret (or SLACK_SIGNING_SECRET)`;
  if (status === 404) return `${head} — the app has no listener for this request (or no /slack/events route)`;
  if (status >= 400) return `${head}${body ? ` — ${body}` : ''}`;
  if (!body) return `${head} — acknowledged (empty ack)`;
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return `${head}\n(only you) ${body}`;
  }
  if (typeof json !== 'object' || json === null) return `${head}\n${body}`;
  const ack = json as {
    response_type?: string;
    response_action?: string;
    errors?: Record<string, string>;
    view?: unknown;
  };
  if (ack.response_action === 'errors' && ack.errors) {
    return `${head} — modal errors:\n${Object.entries(ack.errors)
      .map(([k, v]) => `  ${k}: ${v}`)
      .join('\n')}`;
  }
  if (ack.response_action) {
    const view = ack.view ? renderView(ack.view) : '';
    const shown = view
      .split('\n')
      .filter(Boolean)
      .map((l) => `  ${l}`);
    return [
      `${head} — response_action: ${ack.response_action}${shown.length ? ', the modal now shows:' : ''}`,
      ...shown,
    ].join('\n');
  }
  const text = renderMessage(json as { text?: string; blocks?: unknown[] });
  if (!text) return `${head}\n${body}`;
  const prefix = ack.response_type === 'in_channel' ? `#${ctx.channelName}  qc-slack: ` : '(only you) ';
  const [first = '', ...rest] = text.split('\n');
  return [`${head}`, `${prefix}${first}`, ...rest.map((l) => `${' '.repeat(prefix.length)}${l}`)].join('\n');
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The blocks of a JSON ack, if it has any. */
function parseAckBlocks(body: string): unknown {
  try {
    const json: unknown = JSON.parse(body);
    return isObj(json) ? json.blocks : undefined;
  } catch {
    return undefined; // a plain-text ack has no buttons
  }
}

/** The state value Slack sends for an input element left at its initial value. */
function initialState(el: Obj): Obj {
  const type = String(el.type);
  switch (type) {
    case 'plain_text_input':
    case 'email_text_input':
    case 'url_text_input':
    case 'number_input':
      return { type, value: typeof el.initial_value === 'string' ? el.initial_value : null };
    case 'static_select':
    case 'external_select':
    case 'radio_buttons':
      return { type, selected_option: el.initial_option ?? null };
    case 'multi_static_select':
    case 'multi_external_select':
    case 'checkboxes':
      return { type, selected_options: el.initial_options ?? [] };
    case 'users_select':
      return { type, selected_user: el.initial_user ?? null };
    case 'multi_users_select':
      return { type, selected_users: el.initial_users ?? [] };
    case 'conversations_select':
      return { type, selected_conversation: el.initial_conversation ?? null };
    case 'channels_select':
      return { type, selected_channel: el.initial_channel ?? null };
    case 'datepicker':
      return { type, selected_date: el.initial_date ?? null };
    case 'timepicker':
      return { type, selected_time: el.initial_time ?? null };
    default:
      return { type };
  }
}

/**
 * The view_submission `state.values` for a modal: every input at its initial value, except the first
 * plain_text_input whose action_id contains "password", which gets `password`. `filled` tells whether
 * such an input was found.
 */
export function fillModal(
  view: unknown,
  password: string,
): { values: Record<string, Record<string, Obj>>; filled: boolean } {
  const values: Record<string, Record<string, Obj>> = {};
  let filled = false;
  const blocks = isObj(view) && Array.isArray(view.blocks) ? view.blocks : [];
  for (const block of blocks) {
    if (!isObj(block) || block.type !== 'input' || !isObj(block.element)) continue;
    const el = block.element;
    const blockId = typeof block.block_id === 'string' ? block.block_id : '';
    const actionId = typeof el.action_id === 'string' ? el.action_id : '';
    if (!blockId || !actionId) continue;
    const state = initialState(el);
    if (!filled && el.type === 'plain_text_input' && /password/i.test(actionId)) {
      state.value = password;
      filled = true;
    }
    values[blockId] = { ...values[blockId], [actionId]: state };
  }
  return { values, filled };
}

/** The opened modal this run should act on: opened with our trigger_id, or for our user since we started. */
export function pickModal(
  views: StoredView[],
  ctx: { user: string; triggerId: string; since: number },
  done: Set<string>,
) {
  return views.find(
    (v) =>
      v.type === 'modal' &&
      !done.has(v.id) &&
      (v.triggerId === ctx.triggerId || (v.user === ctx.user && v.openedAt >= ctx.since)),
  );
}

// ---- the run ----

class StackDown extends Error {}

async function request(url: string, init?: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    throw new StackDown(cause?.code ?? cause?.message ?? (err instanceof Error ? err.message : String(err)));
  }
}

async function getJson<T>(url: string): Promise<T> {
  const res = await request(url);
  if (!res.ok) throw new Error(`GET ${url} → HTTP ${res.status}`);
  return (await res.json()) as T;
}

interface ResponseUrlInfo {
  url: string;
  triggerId: string;
  channelName: string;
  now: number;
}

/** GET /healthz of the local stack (local/stack.ts). */
interface Health {
  service?: string;
  mode?: string;
  pendingJobs?: number;
}

async function health(url: string): Promise<Health | undefined> {
  const res = await request(`${url}/healthz`);
  const text = await res.text();
  try {
    const json: unknown = JSON.parse(text);
    return res.ok && typeof json === 'object' && json !== null ? (json as Health) : undefined;
  } catch {
    return undefined; // not JSON: not the stack
  }
}

/** The first URL where a qc-slack local stack answers, or the line that says why there is none. */
export async function locateStack(urls: string[]): Promise<{ url: string } | { error: string }> {
  const tried: string[] = [];
  for (const url of urls) {
    let h: Health | undefined;
    try {
      h = await health(url);
    } catch (err) {
      tried.push(`${url} (${(err as Error).message})`);
      continue;
    }
    if (h?.service !== 'qc-slack-local') {
      tried.push(`${url} (something else answers there, not the qc-slack local stack)`);
      continue;
    }
    if (h.mode === 'socket')
      return {
        error: `The local stack at ${url} runs in Socket Mode against a real workspace: type the command in Slack.`,
      };
    return { url };
  }
  return {
    error: `Cannot reach the local stack at ${tried.join(', ')}. Start it with: npm start (on another port? npm run slack -- "<command>" --port <n>)`,
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function run(opts: CliOptions, out: (line: string) => void = console.log): Promise<number> {
  const print = (text: string, json: object) => out(opts.json ? JSON.stringify(json) : text);
  let stopped = false;
  const onSigint = () => {
    if (stopped) process.exit(130); // a second Ctrl-C while a request hangs
    stopped = true;
  };
  process.on('SIGINT', onSigint);
  try {
    const located = await locateStack(opts.urls);
    if ('error' in located) {
      out(located.error);
      return 1;
    }
    const { url } = located;
    // 1. a response_url (and trigger_id) from the local fake Slack
    const res = await request(`${url}/_local/response-url`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ channel: opts.channel, user: opts.user }),
    });
    if (!res.ok) {
      out(`${url} answered HTTP ${res.status} to POST /_local/response-url: ${await res.text()}`);
      return 1;
    }
    const info = (await res.json()) as ResponseUrlInfo;

    // 2. the signed slash command
    const body = slashCommandBody({
      command: opts.command,
      text: opts.text,
      userId: opts.user,
      teamId: opts.team,
      channelId: opts.channel,
      channelName: info.channelName,
      responseUrl: info.url,
      triggerId: info.triggerId,
    });
    const started = Date.now();
    const ack = await request(`${url}/slack/events`, {
      method: 'POST',
      headers: signedHeaders(opts.secret, body),
      body,
    });
    const ackBody = await ack.text();
    print(formatAck(ack.status, ackBody, Date.now() - started, { channelName: info.channelName }), {
      type: 'ack',
      status: ack.status,
      body: ackBody,
    });
    if (ack.status === 401) return 1;
    const ackHint = signInHint(parseAckBlocks(ackBody), opts.user);
    if (ackHint) print(ackHint, { type: 'hint', text: ackHint });
    // Judge the ack as Slack (and the console) would: a body Slack refuses is not shown, Slackbot says so.
    const refused = ack.status === 200 ? commandAckFailure(opts.command, ack.status, ackBody) : undefined;
    if (refused) print(`(only you) Slackbot: ${refused}`, { type: 'ack_refused', error: refused });

    // 3. follow the messages until the result and its thread settle
    const outcome = await follow(opts, url, info, print, () => stopped);
    if (outcome !== 'settled' && !stopped)
      print(
        `(stopped following after ${opts.wait} s: ${outcome}; later messages show in the console or GET ${url}/_local/messages)`,
        { type: 'timeout', waitingFor: outcome },
      );
    return 0;
  } catch (err) {
    if (err instanceof StackDown) {
      out(`The local stack stopped answering (${err.message}). Start it with: npm start`);
      return 1;
    }
    throw err;
  } finally {
    process.off('SIGINT', onSigint);
  }
}

/**
 * Prints each new message, edit and modal until the app has no job left and nothing changed for
 * `settle` seconds: 'settled', or what it was still waiting for when `wait` ran out (or Ctrl-C).
 */
async function follow(
  opts: CliOptions,
  url: string,
  info: ResponseUrlInfo,
  print: (text: string, json: object) => void,
  stopped: () => boolean,
): Promise<string> {
  const seen = new Map<string, string>();
  const modalsDone = new Set<string>();
  const startedAt = Date.now();
  let lastActivity = Date.now();
  for (;;) {
    const items = await getJson<LocalMessage[]>(`${url}/_local/messages?since=${info.now}`);
    for (const item of items) {
      if (item.ephemeralTo && item.ephemeralTo !== opts.user) continue;
      const key = `${item.channel}/${item.ts}`;
      const version = `${item.edits}/${item.deleted ? 'deleted' : ''}`;
      const previous = seen.get(key);
      if (previous === version) continue;
      seen.set(key, version);
      print(formatMessage(item, opts.user, { edited: previous !== undefined }), {
        type: 'message',
        edited: previous !== undefined,
        ...item,
      });
      const hint = item.deleted ? undefined : signInHint(item.blocks, opts.user);
      if (hint) print(hint, { type: 'hint', text: hint });
      lastActivity = Date.now();
    }
    const views = await getJson<StoredView[]>(`${url}/_local/views?since=${info.now}`);
    const modal = pickModal(
      views,
      { user: opts.user, triggerId: info.triggerId, since: info.now },
      modalsDone,
    );
    if (modal) {
      modalsDone.add(modal.id);
      await handleModal(opts, url, modal, print);
      lastActivity = Date.now();
    }
    const pending = (await health(url))?.pendingJobs ?? 0;
    const quietFor = Date.now() - lastActivity;
    if (pending === 0 && quietFor >= opts.settle * 1000) return 'settled';
    if (stopped() || Date.now() - startedAt >= opts.wait * 1000)
      return pending > 0 ? `the app was still working on ${pending} job(s)` : 'messages were still arriving';
    await sleep(150);
  }
}

async function handleModal(
  opts: CliOptions,
  url: string,
  modal: StoredView,
  print: (text: string, json: object) => void,
) {
  const shown = renderView(modal.view)
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n');
  print(`modal opened for you:\n${shown}`, { type: 'modal', view: modal.view });
  if (opts.password === undefined) {
    print('  (submit it with --password <pw>, or from the local console page)', { type: 'hint' });
    return;
  }
  const { values, filled } = fillModal(modal.view, opts.password);
  if (!filled) {
    print('  (the modal has no plain_text_input with "password" in its action_id: not submitted)', {
      type: 'hint',
    });
    return;
  }
  const payload = viewSubmissionPayload({
    userId: opts.user,
    teamId: opts.team,
    view: { ...modal.view, state: { values } },
  });
  const body = interactionBody(payload);
  const started = Date.now();
  const res = await request(`${url}/slack/events`, {
    method: 'POST',
    headers: signedHeaders(opts.secret, body),
    body,
  });
  const answer = await res.text();
  const text = formatAck(res.status, answer, Date.now() - started, { channelName: opts.channel });
  print(`modal submitted (password not shown) → ${text}`, {
    type: 'view_submission',
    status: res.status,
    body: answer,
  });
  const refused = res.status === 200 ? viewAckFailure(res.status, answer) : undefined;
  if (refused) print(`  the modal shows: ${refused}`, { type: 'view_ack_refused', error: refused });
}

async function main(): Promise<number> {
  const parsed = parseCliArgs(process.argv.slice(2), process.env, readStackFile(defaultStackFile())?.url);
  if ('help' in parsed && parsed.help) {
    console.log(USAGE);
    return 0;
  }
  if ('error' in parsed) {
    console.error(`${parsed.error}\n\n${USAGE}`);
    return 2;
  }
  return run(parsed);
}

const invokedDirectly =
  process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
