import { App, AwsLambdaReceiver } from '@slack/bolt';
import { registerSecretValue } from '../log';
import { boltLogger } from './bolt-logger';
import type { AckDeps } from './deps';
import { registerListeners } from './listeners';

export interface SlackAppOptions {
  signingSecret: string;
  botToken: string;
  botId?: string | undefined;
  botUserId?: string | undefined;
  apiUrl?: string | undefined;
  /** Bolt's lowest level, never below info: Bolt logs through `deps.logger` and never its debug dumps. */
  logLevel?: string;
}

/**
 * The Bolt app behind the Slack function, on AwsLambdaReceiver (signature check, 5-minute window).
 * With bot and bot-user IDs given, no auth.test runs on a cold start.
 */
export function createSlackApp(opts: SlackAppOptions, deps: AckDeps) {
  registerSecretValue(opts.signingSecret);
  registerSecretValue(opts.botToken);
  const logger = boltLogger(deps.logger, opts.logLevel);
  const receiver = new AwsLambdaReceiver({
    signingSecret: opts.signingSecret,
    logger,
    invalidRequestSignatureHandler: ({ awsEvent }) => {
      deps.logger.warn(
        { path: (awsEvent as { rawPath?: string }).rawPath },
        'Slack request with a bad or stale signature refused',
      );
    },
  });
  const app = new App({
    token: opts.botToken,
    receiver,
    ...(opts.botId ? { botId: opts.botId } : {}),
    ...(opts.botUserId ? { botUserId: opts.botUserId } : {}),
    logger,
    clientOptions: {
      ...(opts.apiUrl ? { slackApiUrl: opts.apiUrl } : {}),
      retryConfig: { retries: 1, minTimeout: 100, maxTimeout: 500 },
      timeout: 2_500,
    },
  });
  registerListeners(app, deps);
  return { app, receiver, handler: receiver.toHandler() };
}
