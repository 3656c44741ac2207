import type { WorkerConfig } from '../config';
import { GatewayClient } from '../gateway/client';
import { createLogger } from '../log';
import type { JobLimits } from '../qc/job-limits';
import type { QcDeps, QcPolicy } from '../qc/ports';
import { NOTIFIER_WEB_OPTIONS, SlackNotifier } from '../slack/notifier';
import type { DynamoStore } from '../store/dynamo';
import { dynamoStore, type Overrides, slackWebClient } from './edges';

/** The worker's limits: job age, claim staleness, and the queue's receive count before the DLQ. */
export type WorkerLimits = JobLimits & { maxReceiveCount: number };

/** `limits` defaults to DEFAULT_JOB_LIMITS and 3 receives (serverless.yml's maxReceiveCount). */
export type WorkerDeps = QcDeps & QcPolicy & { maxAgentId: number; limits?: WorkerLimits };

/** What buildWorkerDeps makes: the concrete store and gateway client (the local stack closes them). */
export type BuiltWorkerDeps = WorkerDeps & { store: DynamoStore; gateway: GatewayClient };

/**
 * Everything the worker, keeper and push receiver need (one per container on Lambda; one for the
 * whole local stack).
 */
export function buildWorkerDeps(config: WorkerConfig, overrides: Overrides = {}): BuiltWorkerDeps {
  const logger = overrides.logger ?? createLogger(config.slack.logLevel);
  const store = dynamoStore(config.table, overrides);
  const gateway = new GatewayClient({ ...config.gateway, logger: overrides.gatewayLogger ?? logger });
  const web = slackWebClient(config.slack, NOTIFIER_WEB_OPTIONS);
  return {
    store,
    gateway,
    notifier: new SlackNotifier(web, logger, { kept: store.posts }),
    logger,
    now: overrides.now ?? Date.now,
    ...config.policy,
    maxAgentId: gateway.maxAgentId,
    limits: config.limits,
  };
}
