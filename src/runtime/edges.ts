import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { WebClient, type WebClientOptions } from '@slack/web-api';
import type { SlackWebSettings, TableConfig } from '../config';
import type { Logger } from '../logger';
import { DynamoStore } from '../store/dynamo';

/**
 * What a builder lets its caller replace: only the edges. The Lambda entry points pass nothing; the
 * local stack passes its dynalite client, its logger (and a quieter one for the gateway clients).
 * The job queue is the ack builder's own override (AckOverrides).
 */
export interface Overrides {
  /** A DynamoDB client of its own (the local stack's dynalite) instead of one made from `table`. */
  dynamo?: DynamoDBClient;
  logger?: Logger;
  /** The gateway clients' logger (default: `logger`). */
  gatewayLogger?: Logger;
  /** The clock (default: Date.now). */
  now?: () => number;
}

/**
 * The Web API client of every function but the ack path (which has Slack's 3 s; see slack/app.ts):
 * two retries, 5 s per call. `extra`: NOTIFIER_WEB_OPTIONS for the notifier, which handles 429s itself.
 */
export const WEB_CLIENT_OPTIONS = {
  retryConfig: { retries: 2, minTimeout: 200, maxTimeout: 2_000 },
  timeout: 5_000,
} as const satisfies WebClientOptions;

export function slackWebClient(slack: SlackWebSettings, extra: WebClientOptions = {}): WebClient {
  return new WebClient(slack.botToken, {
    ...(slack.apiUrl ? { slackApiUrl: slack.apiUrl } : {}),
    ...WEB_CLIENT_OPTIONS,
    ...extra,
  });
}

/** The store on the table, over the given DynamoDB client or one made from the table's settings. */
export function dynamoStore(table: TableConfig, overrides: Overrides): DynamoStore {
  return new DynamoStore({
    tableName: table.tableName,
    auditRetentionDays: table.auditRetentionDays,
    ...(overrides.dynamo
      ? { client: overrides.dynamo }
      : {
          clientConfig: { region: table.region, ...(table.endpoint ? { endpoint: table.endpoint } : {}) },
        }),
    ...(overrides.now ? { now: overrides.now } : {}),
  });
}
