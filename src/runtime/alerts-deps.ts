import { WebClient } from '@slack/web-api';
import type { AlertDeps } from '../alerts/receive';
import { alertsConfig, awsConfig, maxAgentIdConfig, slackWebConfig } from '../config';
import { createLogger } from '../log';
import { SlackAlertPublisher } from '../slack/alert-publisher';
import { DynamoStore } from '../store/dynamo';

/** What the alerts function needs, from the environment (one per container). */
export function alertsDepsFromEnv(env: Record<string, string | undefined> = process.env): AlertDeps {
  const slack = slackWebConfig(env);
  const aws = awsConfig(env);
  const logger = createLogger(slack.logLevel);
  const store = new DynamoStore({
    tableName: aws.tableName,
    clientConfig: { region: aws.region, ...(aws.dynamoEndpoint ? { endpoint: aws.dynamoEndpoint } : {}) },
  });
  const client = new WebClient(slack.botToken, {
    ...(slack.apiUrl ? { slackApiUrl: slack.apiUrl } : {}),
    retryConfig: { retries: 2, minTimeout: 200, maxTimeout: 2_000 },
    timeout: 5_000,
  });
  return {
    secret: alertsConfig(env).secret,
    maxAgentId: maxAgentIdConfig(env),
    now: Date.now,
    logger,
    publisher: new SlackAlertPublisher({ client, store, now: Date.now }),
  };
}
