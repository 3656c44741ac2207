import type { AlertDeps } from '../alerts/receive';
import type { AlertsFunctionConfig } from '../config';
import { createLogger } from '../log';
import { SlackAlertPublisher } from '../slack/alert-publisher';
import { dynamoStore, type Overrides, slackWebClient } from './edges';

/** What the alerts function needs (one per container on Lambda; the local stack's POST /alerts). */
export function buildAlertsDeps(config: AlertsFunctionConfig, overrides: Overrides = {}): AlertDeps {
  const logger = overrides.logger ?? createLogger(config.slack.logLevel);
  const now = overrides.now ?? Date.now;
  const store = dynamoStore(config.table, overrides);
  // No NOTIFIER_WEB_OPTIONS: the publisher's client retries 429s itself.
  const client = slackWebClient(config.slack);
  return {
    secret: config.secret,
    maxAgentId: config.maxAgentId,
    now,
    logger,
    publisher: new SlackAlertPublisher({ client, store, now }),
  };
}
