import { readFileSync } from 'node:fs';
import { DEFAULT_MAX_AGENT_ID, NEWER_GATEWAY_MAX_AGENT_ID } from './gateway/agent-id';
import type { GatewayClientOptions } from './gateway/client';
import { DEFAULT_PERMISSIONS, PERMISSIONS, type Permission, parsePermissions } from './qc/permissions';
import type { QcPolicy } from './qc/ports';
import type { Credentials } from './queue/sqs';

/**
 * The one place that reads environment variables. Every value is validated here and a bad or
 * missing one fails fast with a message naming the variable.
 */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

function intVar(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max} (got "${raw}")`);
  }
  return value;
}

function boolVar(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  throw new ConfigError(`${name} must be true or false (got "${env[name]}")`);
}

/** Highest agent ID the gateway accepts (CCGW_MAX_AGENT_ID): 59999, up to 999999 on newer gateways. */
export function maxAgentIdConfig(env: Env = process.env): number {
  return intVar(
    env,
    'CCGW_MAX_AGENT_ID',
    DEFAULT_MAX_AGENT_ID,
    DEFAULT_MAX_AGENT_ID,
    NEWER_GATEWAY_MAX_AGENT_ID,
  );
}

/**
 * The gateway client's tuning from CCGW_* variables (timeouts, connections, CCGW_MAX_AGENT_ID…): for a
 * real gateway (gatewayConfig) and for the local stack's simulator alike.
 */
export function gatewaySettingsConfig(env: Env = process.env): Omit<GatewayClientOptions, 'baseUrl'> {
  return {
    insecureSkipVerify: boolVar(env, 'CCGW_INSECURE_SKIP_VERIFY', false),
    connectTimeoutMs: intVar(env, 'CCGW_CONNECT_TIMEOUT_MS', 3_000, 100, 60_000),
    requestTimeoutMs: intVar(env, 'CCGW_REQUEST_TIMEOUT_MS', 5_000, 100, 60_000),
    pollTimeoutMs: intVar(env, 'CCGW_POLL_TIMEOUT_MS', 15_000, 1_000, 120_000),
    maxConnections: intVar(env, 'CCGW_MAX_CONNECTIONS', 256, 1, 10_000),
    keepAliveTimeoutMs: intVar(env, 'CCGW_KEEPALIVE_MS', 15_000, 1_000, 600_000),
    maxAgentId: maxAgentIdConfig(env),
    stickyCookies: boolVar(env, 'CCGW_STICKY_COOKIES', true),
  };
}

/** Gateway client settings from CCGW_* variables (see README "Configuration"). */
export function gatewayConfig(env: Env = process.env): GatewayClientOptions {
  const baseUrl = env.CCGW_BASE_URL?.trim();
  if (!baseUrl) throw new ConfigError('CCGW_BASE_URL is not set (e.g. https://10.0.0.5:8043)');
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new ConfigError(`CCGW_BASE_URL is not a URL (got "${baseUrl}")`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ConfigError(`CCGW_BASE_URL must start with https:// (got "${url.protocol}")`);
  }
  const options: GatewayClientOptions = { baseUrl, ...gatewaySettingsConfig(env) };
  const caPem = env.CCGW_CA_PEM?.trim();
  if (caPem) options.caPem = caPem;
  const caFile = env.CCGW_CA_FILE?.trim();
  if (caFile) {
    try {
      options.caPem = readFileSync(caFile);
    } catch (err) {
      throw new ConfigError(
        `CCGW_CA_FILE cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'}): ${caFile}`,
      );
    }
  }
  return options;
}

function required(env: Env, name: string, hint: string): string {
  const value = env[name]?.trim();
  if (!value) throw new ConfigError(`${name} is not set (${hint})`);
  return value;
}

/** Slack settings. The bot and bot user IDs spare a call to auth.test on every cold start. */
export function slackConfig(env: Env = process.env) {
  return {
    signingSecret: required(
      env,
      'SLACK_SIGNING_SECRET',
      'Basic Information → Signing Secret of the Slack app, or SLACK_SIGNING_SECRET_PARAM',
    ),
    ...slackWebConfig(env),
    botId: env.SLACK_BOT_ID?.trim() || undefined,
    botUserId: env.SLACK_BOT_USER_ID?.trim() || undefined,
    adminUserIds: adminUserIdsConfig(env),
  };
}

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;

/** How much the JSON logs say (`LOG_LEVEL`, one of LOG_LEVELS; default info, `npm start` warn). */
export function logLevelConfig(
  env: Env = process.env,
  fallback: (typeof LOG_LEVELS)[number] = 'info',
): string {
  const raw = env.LOG_LEVEL?.trim();
  if (!raw) return fallback;
  const level = raw.toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(level))
    throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')} (got "${raw}")`);
  return level;
}

/** The local stack's HTTP port (`PORT`, default 3000; `npm start -- --port` wins). */
export function localPortConfig(env: Env = process.env): number {
  return intVar(env, 'PORT', 3000, 0, 65535);
}

/** What posting to Slack needs (worker, keeper, push receiver, alerts): no signing secret. */
export function slackWebConfig(env: Env = process.env) {
  return {
    botToken: required(
      env,
      'SLACK_BOT_TOKEN',
      'OAuth & Permissions → Bot User OAuth Token, xoxb-…, or SLACK_BOT_TOKEN_PARAM',
    ),
    apiUrl: env.SLACK_API_URL?.trim() || undefined,
    logLevel: logLevelConfig(env),
  };
}

/** The secrets, each set directly (local stack, tests) or read from SSM at cold start (Lambda). */
export const SECRET_VARS = ['SLACK_SIGNING_SECRET', 'SLACK_BOT_TOKEN', 'ALERTS_SECRET'] as const;
export type SecretVar = (typeof SECRET_VARS)[number];

/** Where the secrets that are not set directly come from: SecureString parameter names, the endpoint. */
export interface SecretSource {
  /** Secret → SSM parameter name, from `<SECRET>_PARAM`, for the secrets not set directly. */
  params: Partial<Record<SecretVar, string>>;
  region: string;
  endpoint: string;
}

const SSM_NAME = /^[A-Za-z0-9_.\-/]{1,2048}$/;

export function secretSourceConfig(env: Env = process.env): SecretSource {
  const params: Partial<Record<SecretVar, string>> = {};
  for (const name of SECRET_VARS) {
    if (env[name]?.trim()) continue;
    const param = env[`${name}_PARAM`]?.trim();
    if (!param) continue;
    // The message never repeats the value: a secret pasted here by mistake must not reach the logs.
    if (!SSM_NAME.test(param))
      throw new ConfigError(`${name}_PARAM must be an SSM parameter name such as /qc-slack/prod/…`);
    params[name] = param;
  }
  const region = regionConfig(env);
  return {
    params,
    region,
    endpoint: env.AWS_ENDPOINT_URL_SSM?.trim() || `https://ssm.${region}.amazonaws.com`,
  };
}

function regionConfig(env: Env): string {
  return env.AWS_REGION?.trim() || env.AWS_DEFAULT_REGION?.trim() || 'us-east-1';
}

/** Slack user IDs allowed to link and unlink inspectors (`QC_ADMIN_USER_IDS`, comma or space separated). */
export function adminUserIdsConfig(env: Env = process.env): ReadonlySet<string> {
  return new Set((env.QC_ADMIN_USER_IDS ?? '').split(/[\s,]+/).filter(Boolean));
}

/**
 * Who may do what: admins, and the QC permissions an inspector has until an admin changes them
 * (`QC_DEFAULT_PERMISSIONS`, e.g. `listen,whisper`; default listen, insert, whisper, intercept).
 */
export function qcPolicyConfig(env: Env = process.env): QcPolicy {
  const raw = env.QC_DEFAULT_PERMISSIONS?.trim();
  let defaultPermissions: readonly Permission[] = DEFAULT_PERMISSIONS;
  if (raw) {
    const parsed =
      raw.toLowerCase() === 'none' ? { ok: true as const, permissions: [] } : parsePermissions(raw);
    if (!parsed.ok)
      throw new ConfigError(
        `QC_DEFAULT_PERMISSIONS: ${parsed.unknown.join(', ') || 'empty'} — use a comma list of ${PERMISSIONS.join(', ')}, or "all" or "none"`,
      );
    defaultPermissions = parsed.permissions;
  }
  return { adminUserIds: adminUserIdsConfig(env), defaultPermissions };
}

/** The monitoring-alerts endpoint: the shared HMAC secret senders sign with (`ALERTS_SECRET`). */
export function alertsConfig(env: Env = process.env): { secret: string } {
  const secret = required(
    env,
    'ALERTS_SECRET',
    'the shared secret alert senders sign with; see docs/alerts.md',
  );
  if (secret.length < 16) throw new ConfigError('ALERTS_SECRET must be at least 16 characters');
  return { secret };
}

/** Socket Mode tokens for `npm start` against a real workspace: both or neither. */
export function socketModeConfig(
  env: Env = process.env,
): { appToken: string; botToken: string; apiUrl?: string } | undefined {
  const appToken = env.SLACK_APP_TOKEN?.trim();
  const botToken = env.SLACK_BOT_TOKEN?.trim();
  if (!appToken && !botToken) return undefined;
  if (!appToken || !botToken) {
    throw new ConfigError(
      `Socket Mode needs both SLACK_APP_TOKEN (xapp-…: Basic Information → App-Level Tokens, scope connections:write) and SLACK_BOT_TOKEN (xoxb-…); ${appToken ? 'SLACK_BOT_TOKEN' : 'SLACK_APP_TOKEN'} is not set.`,
    );
  }
  if (!appToken.startsWith('xapp-'))
    throw new ConfigError('SLACK_APP_TOKEN must be an app-level token (xapp-…).');
  if (!botToken.startsWith('xoxb-')) throw new ConfigError('SLACK_BOT_TOKEN must be a bot token (xoxb-…).');
  // SLACK_API_URL: another Slack Web API (the local one, in tests) for both the bot and the socket.
  const apiUrl = env.SLACK_API_URL?.trim();
  return { appToken, botToken, ...(apiUrl ? { apiUrl } : {}) };
}

/**
 * The worker's limits (`WORKER_TIMEOUT_MS`, `QC_JOB_MAX_AGE_MS`, `QUEUE_MAX_RECEIVE_COUNT`,
 * `TAKEOVER_ANSWER_MS`). The
 * timeout must match the worker function's timeout in serverless.yml (30 s): an idempotency claim
 * older than that belongs to a worker that died, so it is stale. A gateway job that waited in the
 * queue longer than the max age is refused (a take-over must not run minutes later). The receive
 * count must match the queue's redrive policy (maxReceiveCount 3): the last failed receive goes to
 * the dead-letter queue.
 */
export function workerLimitsConfig(env: Env = process.env): {
  workerTimeoutMs: number;
  jobMaxAgeMs: number;
  maxReceiveCount: number;
  takeoverAnswerMs: number;
} {
  return {
    workerTimeoutMs: intVar(env, 'WORKER_TIMEOUT_MS', 30_000, 1_000, 900_000),
    jobMaxAgeMs: intVar(env, 'QC_JOB_MAX_AGE_MS', 60_000, 1_000, 3_600_000),
    maxReceiveCount: intVar(env, 'QUEUE_MAX_RECEIVE_COUNT', 3, 1, 1_000),
    // How long a one-click take-over waits for the inspector's phone before it stops listening.
    takeoverAnswerMs: intVar(env, 'TAKEOVER_ANSWER_MS', 30_000, 1_000, 300_000),
  };
}

/** How long one keeper run lasts (`KEEPER_RUN_MS`, default 55 s of each minute; tests run shorter). */
export function keeperRunMsConfig(env: Env = process.env): number {
  return intVar(env, 'KEEPER_RUN_MS', 55_000, 500, 840_000);
}

/** How long audit rows are kept when AUDIT_RETENTION_DAYS is not set (days). */
export const DEFAULT_AUDIT_RETENTION_DAYS = 90;

/** AWS resources the functions use (names from CloudFormation; endpoints only for local runs). */
export function awsConfig(env: Env = process.env) {
  return {
    region: regionConfig(env),
    tableName: required(env, 'TABLE_NAME', 'the DynamoDB table, set by serverless.yml'),
    queueUrl: env.QUEUE_URL?.trim() || undefined,
    dynamoEndpoint: env.AWS_ENDPOINT_URL_DYNAMODB?.trim() || undefined,
    sqsEndpoint: env.AWS_ENDPOINT_URL_SQS?.trim() || undefined,
    auditRetentionDays: intVar(env, 'AUDIT_RETENTION_DAYS', DEFAULT_AUDIT_RETENTION_DAYS, 1, 3650),
    /** Public URL of POST /gateway/events: when set, inspectors sign in in push mode. */
    pushCallbackUrl: env.GATEWAY_CALLBACK_URL?.trim() || undefined,
  };
}

/** AWS credentials from the environment (on Lambda, the execution role's). */
export function awsCredentialsConfig(env: Env = process.env): Credentials {
  const accessKeyId = env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
  if (!accessKeyId || !secretAccessKey)
    throw new ConfigError('AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY are not set');
  return {
    accessKeyId,
    secretAccessKey,
    ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
  };
}

// ── One configuration per function: what its builder in src/runtime/ wires (read once, at cold start) ──

/** The DynamoDB table every function reads or writes; `endpoint` only for local runs. */
export interface TableConfig {
  tableName: string;
  region: string;
  endpoint?: string;
  auditRetentionDays: number;
}

export type SlackWebSettings = ReturnType<typeof slackWebConfig>;
export type SlackAppConfig = ReturnType<typeof slackConfig>;
export type WorkerLimitsSettings = ReturnType<typeof workerLimitsConfig>;

function tableConfig(env: Env): TableConfig {
  const aws = awsConfig(env);
  return {
    tableName: aws.tableName,
    region: aws.region,
    ...(aws.dynamoEndpoint ? { endpoint: aws.dynamoEndpoint } : {}),
    auditRetentionDays: aws.auditRetentionDays,
  };
}

/** The worker, the keeper and the push receiver (buildWorkerDeps). */
export interface WorkerConfig {
  slack: SlackWebSettings;
  table: TableConfig;
  gateway: GatewayClientOptions;
  policy: QcPolicy;
  limits: WorkerLimitsSettings;
}

export function workerConfig(env: Env = process.env): WorkerConfig {
  return {
    slack: slackWebConfig(env),
    table: tableConfig(env),
    gateway: gatewayConfig(env),
    policy: qcPolicyConfig(env),
    limits: workerLimitsConfig(env),
  };
}

/** Sign-in from the Slack function (buildSignInService, loaded on the first sign-in). */
export interface SignInConfig {
  logLevel: string;
  table: TableConfig;
  gateway: GatewayClientOptions;
  /** Public URL of POST /gateway/events: when set, inspectors sign in in push mode. */
  pushCallbackUrl?: string;
}

export function signInConfig(env: Env = process.env): SignInConfig {
  const pushCallbackUrl = awsConfig(env).pushCallbackUrl;
  return {
    logLevel: logLevelConfig(env),
    table: tableConfig(env),
    gateway: gatewayConfig(env),
    ...(pushCallbackUrl ? { pushCallbackUrl } : {}),
  };
}

/** The SQS FIFO queue the Slack function sends jobs to. */
export interface SqsConfig {
  queueUrl: string;
  region: string;
  endpoint?: string;
  credentials: Credentials;
}

/** The Slack function (createSlackApp + buildAckDeps). `queue` is absent where the queue is another. */
export interface AckConfig {
  slack: SlackAppConfig;
  maxAgentId: number;
  table: TableConfig;
  credentials: Credentials;
  queue?: SqsConfig;
  signIn: SignInConfig;
}

export function ackConfig(env: Env = process.env): AckConfig {
  const slack = slackConfig(env);
  const aws = awsConfig(env);
  const credentials = awsCredentialsConfig(env);
  if (!aws.queueUrl)
    throw new ConfigError('QUEUE_URL is not set (the SQS FIFO queue, set by serverless.yml)');
  return {
    slack,
    maxAgentId: maxAgentIdConfig(env),
    table: tableConfig(env),
    credentials,
    queue: {
      queueUrl: aws.queueUrl,
      region: aws.region,
      ...(aws.sqsEndpoint ? { endpoint: aws.sqsEndpoint } : {}),
      credentials,
    },
    signIn: signInConfig(env),
  };
}

/** The alerts function (buildAlertsDeps). */
export interface AlertsFunctionConfig {
  slack: SlackWebSettings;
  table: TableConfig;
  secret: string;
  maxAgentId: number;
}

export function alertsFunctionConfig(env: Env = process.env): AlertsFunctionConfig {
  return {
    slack: slackWebConfig(env),
    table: tableConfig(env),
    secret: alertsConfig(env).secret,
    maxAgentId: maxAgentIdConfig(env),
  };
}
