import { WebClient } from '@slack/web-api';
import { awsConfig, gatewayConfig, qcPolicyConfig, slackWebConfig } from '../config';
import { GatewayClient } from '../gateway/client';
import { createLogger } from '../log';
import type { QcDeps, QcPolicy } from '../qc/ports';
import { SlackNotifier } from '../slack/notifier';
import { DynamoStore } from '../store/dynamo';

export type WorkerDeps = QcDeps & QcPolicy & { maxAgentId: number };

/** Everything the worker, keeper and push receiver need, from the environment (one per container). */
export function workerDepsFromEnv(env: Record<string, string | undefined> = process.env): WorkerDeps {
  const slack = slackWebConfig(env);
  const aws = awsConfig(env);
  const logger = createLogger(slack.logLevel);
  const store = new DynamoStore({
    tableName: aws.tableName,
    auditRetentionDays: aws.auditRetentionDays,
    clientConfig: { region: aws.region, ...(aws.dynamoEndpoint ? { endpoint: aws.dynamoEndpoint } : {}) },
  });
  const gateway = new GatewayClient({ ...gatewayConfig(env), logger });
  const web = new WebClient(slack.botToken, {
    ...(slack.apiUrl ? { slackApiUrl: slack.apiUrl } : {}),
    retryConfig: { retries: 2, minTimeout: 200, maxTimeout: 2_000 },
    timeout: 5_000,
  });
  return {
    store,
    gateway,
    notifier: new SlackNotifier(web, logger),
    logger,
    now: Date.now,
    ...qcPolicyConfig(env),
    maxAgentId: gateway.maxAgentId,
  };
}
