import type { AlertDeps } from '../alerts/receive';
import type { AlertsFunctionConfig } from '../config';
import { createLogger } from '../log';
import { SqsJobQueue } from '../queue/sqs';
import type { JobQueue } from '../queue/types';
import { SlackAlertPublisher } from '../slack/alert-publisher';
import { dynamoStore, type Overrides, slackWebClient } from './edges';

/** The alerts builder's edges: the job queue too (the local stack's in-process FIFO instead of SQS). */
export interface AlertsOverrides extends Overrides {
  queue?: JobQueue;
}

/**
 * What the alerts function needs (one per container on Lambda; the local stack's POST /alerts). After
 * posting an alert it queues an alert-check (the same SQS queue as the Slack function's jobs).
 */
export function buildAlertsDeps(config: AlertsFunctionConfig, overrides: AlertsOverrides = {}): AlertDeps {
  const { queue: queueOverride, ...edges } = overrides;
  const logger = edges.logger ?? createLogger(config.slack.logLevel);
  const now = edges.now ?? Date.now;
  const store = dynamoStore(config.table, edges);
  const queue = queueOverride ?? (config.queue ? new SqsJobQueue(config.queue) : undefined);
  // No NOTIFIER_WEB_OPTIONS: the publisher's client retries 429s itself.
  const client = slackWebClient(config.slack);
  return {
    secret: config.secret,
    maxAgentId: config.maxAgentId,
    now,
    logger,
    publisher: new SlackAlertPublisher({ client, store, now, logger, ...(queue ? { queue } : {}) }),
  };
}
