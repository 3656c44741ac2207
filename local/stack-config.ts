/**
 * The local stack's configuration: the same shapes src/config.ts reads from the environment on Lambda
 * (WorkerConfig, AckConfig, AlertsFunctionConfig), filled with the local edges — dynalite's table, the
 * local Slack Web API (or a real workspace's bot token in Socket Mode), the simulator or CCGW_BASE_URL.
 * The builders in src/runtime/ then wire them exactly as on Lambda.
 */
import {
  type AckConfig,
  type AlertsFunctionConfig,
  DEFAULT_AUDIT_RETENTION_DAYS,
  type SlackWebSettings,
  type TableConfig,
  type WorkerConfig,
  workerLimitsConfig,
} from '../src/config';
import { DEFAULT_MAX_AGENT_ID } from '../src/gateway/agent-id';
import type { GatewayClientOptions } from '../src/gateway/client';
import type { Permission } from '../src/qc/permissions';
import type { LocalDynamo } from './dynalite';
import type { SocketModeTokens } from './socket-mode';

export const LOCAL_SIGNING_SECRET = 'local-signing-secret';
export const LOCAL_BOT_TOKEN = 'xoxb-local-qc-slack';
export const LOCAL_ALERTS_SECRET = 'local-alerts-secret';

/** The local credentials dynalite accepts (it checks none). */
const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

/** What the local configuration is made of. */
export interface LocalEdges {
  /** The stack's base URL (the local Slack Web API is at `${url}/api/`). */
  url: string;
  db: LocalDynamo;
  gateway: GatewayClientOptions;
  socketMode?: SocketModeTokens;
  adminUserIds: ReadonlySet<string>;
  defaultPermissions: readonly Permission[];
  /** Push mode: the gateway posts events to the stack's /gateway/events. */
  push?: boolean;
}

export interface LocalConfig {
  worker: WorkerConfig;
  ack: AckConfig;
  alerts: AlertsFunctionConfig;
}

export function localConfig(edges: LocalEdges): LocalConfig {
  const table: TableConfig = {
    tableName: edges.db.tableName,
    region: 'local',
    endpoint: edges.db.endpoint,
    auditRetentionDays: DEFAULT_AUDIT_RETENTION_DAYS,
  };
  // The logger is the stack's own (an override): this level only names what Lambda would use.
  const logLevel = 'error';
  const web: SlackWebSettings = edges.socketMode
    ? { botToken: edges.socketMode.botToken, apiUrl: edges.socketMode.apiUrl, logLevel }
    : { botToken: LOCAL_BOT_TOKEN, apiUrl: `${edges.url}/api/`, logLevel };
  const maxAgentId = edges.gateway.maxAgentId ?? DEFAULT_MAX_AGENT_ID;
  const pushCallbackUrl = edges.push ? `${edges.url}/gateway/events` : undefined;
  return {
    worker: {
      slack: web,
      table,
      gateway: edges.gateway,
      policy: { adminUserIds: edges.adminUserIds, defaultPermissions: edges.defaultPermissions },
      limits: workerLimitsConfig(),
    },
    ack: {
      slack: {
        signingSecret: LOCAL_SIGNING_SECRET,
        botToken: LOCAL_BOT_TOKEN,
        apiUrl: `${edges.url}/api/`,
        logLevel,
        botId: 'B_QCBOT',
        botUserId: 'U_QCBOT',
        adminUserIds: edges.adminUserIds,
      },
      maxAgentId,
      table,
      credentials: LOCAL_CREDENTIALS,
      signIn: { logLevel, table, gateway: edges.gateway, ...(pushCallbackUrl ? { pushCallbackUrl } : {}) },
    },
    alerts: { slack: web, table, secret: LOCAL_ALERTS_SECRET, maxAgentId },
  };
}
