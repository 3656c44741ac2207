import { WebClient } from '@slack/web-api';
import { awsConfig, gatewayConfig, qcPolicyConfig, slackWebConfig, workerLimitsConfig } from '../config';
import { GatewayClient } from '../gateway/client';
import { createLogger } from '../log';
import type { JobLimits } from '../qc/job-limits';
import type { QcDeps, QcPolicy } from '../qc/ports';
import { NOTIFIER_WEB_OPTIONS, SlackNotifier } from '../slack/notifier';
import { DynamoStore } from '../store/dynamo';

/** The worker's limits: job age, claim staleness, and the queue's receive count before the DLQ. */
export type WorkerLimits = JobLimits & { maxReceiveCount: number };

/** `limits` defaults to DEFAULT_JOB_LIMITS and 3 receives (serverless.yml's maxReceiveCount). */
export type WorkerDeps = QcDeps & QcPolicy & { maxAgentId: number; limits?: WorkerLimits };

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
    ...NOTIFIER_WEB_OPTIONS,
  });
  return {
    store,
    gateway,
    notifier: new SlackNotifier(web, logger, { kept: store.posts }),
    logger,
    now: Date.now,
    ...qcPolicyConfig(env),
    maxAgentId: gateway.maxAgentId,
    limits: workerLimitsConfig(env),
  };
}
