/**
 * Build and sign requests exactly as Slack sends them to an app: slash commands, block_actions and
 * view_submission payloads, and the API Gateway (HTTP API, payload 2.0) event Lambda receives.
 * Used by tests, the local console and `npm run slack`.
 */
import { createHmac, randomBytes, randomUUID } from 'node:crypto';

/** `v0=` + hex HMAC-SHA256 of `v0:{timestamp}:{rawBody}` with the signing secret. */
export function slackSignature(signingSecret: string, timestamp: number, rawBody: string): string {
  return `v0=${createHmac('sha256', signingSecret).update(`v0:${timestamp}:${rawBody}`).digest('hex')}`;
}

/** Headers of a signed Slack request (lower-case names): content-type, x-slack-signature, x-slack-request-timestamp. */
export function signedHeaders(
  signingSecret: string,
  rawBody: string,
  opts: { timestamp?: number; contentType?: string } = {},
): Record<string, string> {
  const timestamp = opts.timestamp ?? Math.floor(Date.now() / 1000);
  return {
    'content-type': opts.contentType ?? 'application/x-www-form-urlencoded',
    'x-slack-signature': slackSignature(signingSecret, timestamp, rawBody),
    'x-slack-request-timestamp': String(timestamp),
  };
}

let triggerSeq = 0;

/** A fresh trigger_id shaped like Slack's: '1732530000.123456.0123456789abcdef0123456789abcdef', unique per call. */
export function newTriggerId(): string {
  triggerSeq = (triggerSeq + 1) % 1_000_000;
  const seconds = Math.floor(Date.now() / 1000);
  return `${seconds}.${String(triggerSeq).padStart(6, '0')}.${randomBytes(16).toString('hex')}`;
}

/** A Slack-style ts for now ('1732530000.123456'). */
export function nowTs(): string {
  return (Date.now() / 1000).toFixed(6);
}

export interface SlashCommandInput {
  command: string;
  text: string;
  userId: string;
  userName?: string;
  teamId?: string;
  teamDomain?: string;
  channelId?: string;
  channelName?: string;
  responseUrl: string;
  triggerId?: string;
  apiAppId?: string;
}

/** The form-urlencoded body of a slash command, fields in the order Slack sends them. */
export function slashCommandBody(input: SlashCommandInput): string {
  return new URLSearchParams([
    ['token', 'unused'], // the deprecated verification token: apps must not rely on it
    ['team_id', input.teamId ?? 'T_LOCAL'],
    ['team_domain', input.teamDomain ?? 'local'],
    ['channel_id', input.channelId ?? 'C_QC'],
    ['channel_name', input.channelName ?? 'qc'],
    ['user_id', input.userId],
    ['user_name', input.userName ?? input.userId.toLowerCase()],
    ['command', input.command],
    ['text', input.text],
    ['api_app_id', input.apiAppId ?? 'A_QCSLACK'],
    ['is_enterprise_install', 'false'],
    ['response_url', input.responseUrl],
    ['trigger_id', input.triggerId ?? newTriggerId()],
  ]).toString();
}

/** The form body of an interactivity request: `payload=<url-encoded JSON>`. */
export function interactionBody(payload: object): string {
  return `payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

/** The `user` object of an interaction payload, as Slack shapes it. */
function payloadUser(input: { userId: string; userName?: string }, teamId: string) {
  const name = input.userName ?? input.userId.toLowerCase();
  return { id: input.userId, username: name, name, team_id: teamId };
}

export interface BlockActionsInput {
  userId: string;
  userName?: string;
  teamId?: string;
  channelId?: string;
  channelName?: string;
  messageTs?: string;
  isEphemeral?: boolean;
  responseUrl: string;
  triggerId?: string;
  actionId: string;
  value?: string;
  blockId?: string;
  actionTs?: string;
  /** The button's label (actions[0].text). */
  text?: string;
  /** The message the button is on, as Slack includes it (default: a minimal bot message with that ts). */
  message?: object;
  apiAppId?: string;
}

/** A `block_actions` payload for a button click on a message, shaped like Slack's. */
export function blockActionsPayload(input: BlockActionsInput): object {
  const teamId = input.teamId ?? 'T_LOCAL';
  const channelId = input.channelId ?? 'C_QC';
  const messageTs = input.messageTs ?? nowTs();
  const action: Record<string, unknown> = {
    action_id: input.actionId,
    block_id: input.blockId ?? 'actions',
    text: { type: 'plain_text', text: input.text ?? input.actionId, emoji: true },
    type: 'button',
    action_ts: input.actionTs ?? nowTs(),
  };
  if (input.value !== undefined) action.value = input.value;
  return {
    type: 'block_actions',
    user: payloadUser(input, teamId),
    api_app_id: input.apiAppId ?? 'A_QCSLACK',
    token: 'unused',
    container: {
      type: 'message',
      message_ts: messageTs,
      channel_id: channelId,
      is_ephemeral: input.isEphemeral ?? false,
    },
    trigger_id: input.triggerId ?? newTriggerId(),
    team: { id: teamId, domain: 'local' },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: channelId, name: input.channelName ?? 'qc' },
    message: input.message ?? {
      type: 'message',
      ts: messageTs,
      user: 'U_QCBOT',
      bot_id: 'B_QCBOT',
      text: '',
    },
    state: { values: {} },
    response_url: input.responseUrl,
    actions: [action],
  };
}

export interface ViewSubmissionInput {
  userId: string;
  userName?: string;
  teamId?: string;
  /** The submitted view, incl. callback_id, private_metadata, state.values; merged over Slack's defaults. */
  view: object;
  triggerId?: string;
  apiAppId?: string;
}

/** A `view_submission` payload (a modal's submit button), shaped like Slack's. */
export function viewSubmissionPayload(input: ViewSubmissionInput): object {
  const teamId = input.teamId ?? 'T_LOCAL';
  const view = input.view as Record<string, unknown>;
  const id = typeof view.id === 'string' ? view.id : `V${randomBytes(5).toString('hex').toUpperCase()}`;
  return {
    type: 'view_submission',
    team: { id: teamId, domain: 'local' },
    user: payloadUser(input, teamId),
    api_app_id: input.apiAppId ?? 'A_QCSLACK',
    token: 'unused',
    trigger_id: input.triggerId ?? newTriggerId(),
    view: {
      id,
      team_id: teamId,
      type: 'modal',
      blocks: [],
      private_metadata: '',
      callback_id: '',
      state: { values: {} },
      hash: `${Math.floor(Date.now() / 1000)}.${randomBytes(4).toString('hex')}`,
      title: { type: 'plain_text', text: 'Modal' },
      clear_on_close: false,
      notify_on_close: false,
      close: null,
      submit: null,
      previous_view_id: null,
      root_view_id: id,
      app_id: input.apiAppId ?? 'A_QCSLACK',
      external_id: '',
      app_installed_team_id: teamId,
      bot_id: 'B_QCBOT',
      ...view,
    },
    response_urls: [],
    is_enterprise_install: false,
    enterprise: null,
  };
}

/** The API Gateway HTTP API (payload format 2.0) event, minimal but complete enough for Bolt and our handlers. */
export interface ApiGatewayV2Event {
  version: '2.0';
  routeKey: string;
  rawPath: string;
  rawQueryString: string;
  cookies?: string[];
  headers: Record<string, string>;
  queryStringParameters?: Record<string, string>;
  pathParameters?: Record<string, string>;
  stageVariables?: Record<string, string>;
  requestContext: {
    accountId: string;
    apiId: string;
    domainName: string;
    domainPrefix: string;
    http: { method: string; path: string; protocol: string; sourceIp: string; userAgent: string };
    requestId: string;
    routeKey: string;
    stage: string;
    time: string;
    timeEpoch: number;
  };
  body?: string;
  isBase64Encoded: boolean;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** '12/Mar/2020:19:03:58 +0000', API Gateway's requestContext.time format. */
function clfTime(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

/**
 * An API Gateway HTTP API (payload 2.0) event carrying a signed Slack request, as Lambda receives it.
 * `body` is the raw body; with `base64: true` it is sent base64-encoded with `isBase64Encoded: true`.
 */
export function apiGatewayEvent(opts: {
  path?: string;
  body: string;
  headers: Record<string, string>;
  base64?: boolean;
}): ApiGatewayV2Event {
  const path = opts.path ?? '/slack/events';
  const now = new Date();
  const userAgent = 'Slackbot 1.0 (+https://api.slack.com/robots)';
  const headers: Record<string, string> = {
    accept: 'application/json,*/*',
    'accept-encoding': 'gzip,deflate',
    'content-length': String(Buffer.byteLength(opts.body)),
    host: 'local.execute-api.localhost',
    'user-agent': userAgent,
    'x-forwarded-for': '127.0.0.1',
    'x-forwarded-port': '443',
    'x-forwarded-proto': 'https',
  };
  for (const [k, v] of Object.entries(opts.headers)) headers[k.toLowerCase()] = v;
  const routeKey = `POST ${path}`;
  return {
    version: '2.0',
    routeKey,
    rawPath: path,
    rawQueryString: '',
    headers,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: headers.host ?? 'local.execute-api.localhost',
      domainPrefix: 'local',
      http: {
        method: 'POST',
        path,
        protocol: 'HTTP/1.1',
        sourceIp: '127.0.0.1',
        userAgent: headers['user-agent'] ?? userAgent,
      },
      requestId: randomUUID(),
      routeKey,
      stage: '$default',
      time: clfTime(now),
      timeEpoch: now.getTime(),
    },
    body: opts.base64 ? Buffer.from(opts.body, 'utf8').toString('base64') : opts.body,
    isBase64Encoded: opts.base64 ?? false,
  };
}
