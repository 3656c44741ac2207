import { App, AwsLambdaReceiver, LogLevel } from '@slack/bolt';
import type { AckDeps } from './deps';
import { registerListeners } from './listeners';

export interface SlackAppOptions {
  signingSecret: string;
  botToken: string;
  botId?: string | undefined;
  botUserId?: string | undefined;
  apiUrl?: string | undefined;
  logLevel?: string;
}

const LEVELS: Record<string, LogLevel> = {
  debug: LogLevel.DEBUG,
  info: LogLevel.INFO,
  warn: LogLevel.WARN,
  error: LogLevel.ERROR,
};

/**
 * The Bolt app behind the Slack function, on AwsLambdaReceiver (signature check, 5-minute window).
 * With bot and bot-user IDs given, no auth.test runs on a cold start.
 */
export function createSlackApp(opts: SlackAppOptions, deps: AckDeps) {
  const logLevel = LEVELS[opts.logLevel ?? 'info'] ?? LogLevel.INFO;
  const receiver = new AwsLambdaReceiver({
    signingSecret: opts.signingSecret,
    logLevel,
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
    logLevel,
    clientOptions: {
      ...(opts.apiUrl ? { slackApiUrl: opts.apiUrl } : {}),
      retryConfig: { retries: 1, minTimeout: 100, maxTimeout: 500 },
      timeout: 2_500,
    },
  });
  registerListeners(app, deps);
  return { app, receiver, handler: receiver.toHandler() };
}
