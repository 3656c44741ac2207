import { App, AwsLambdaReceiver } from '@slack/bolt';
import { registerSecretValue } from '../log';
import { ACK_DEADLINE_MS } from './ack-budget';
import { boltLogger } from './bolt-logger';
import type { AckDeps } from './deps';
import { registerListeners } from './listeners';
import { verifySlackRequest } from './verify-request';

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
 * The Bolt app behind the Slack function, on AwsLambdaReceiver. Its handler checks every request
 * first (verify-request.ts: signature, ±5-minute window, parseable body), then hands it to Bolt.
 * With bot and bot-user IDs given, no auth.test runs on a cold start.
 */
export function createSlackApp(opts: SlackAppOptions, deps: AckDeps) {
  registerSecretValue(opts.signingSecret);
  registerSecretValue(opts.botToken);
  const logger = boltLogger(deps.logger, opts.logLevel);
  const receiver = new AwsLambdaReceiver({
    signingSecret: opts.signingSecret,
    logger,
    // When the request arrived: the ack path's Web API calls stop waiting 2.5 s after it (ack-budget.ts).
    customPropertiesExtractor: () => ({ receivedAt: deps.now() }),
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
      // Slack's 3 s: no retry or rate-limit wait inside the client; ack-budget.ts retries only if time remains.
      retryConfig: { retries: 0 },
      timeout: ACK_DEADLINE_MS,
      rejectRateLimitedCalls: true,
    },
  });
  registerListeners(app, deps);
  const boltHandler = receiver.toHandler();
  /** Checked here first (5-minute window both ways, a parseable body); Bolt gets the decoded body. */
  const handler: typeof boltHandler = async (event, context) => {
    const verdict = verifySlackRequest(event, opts.signingSecret, Math.floor(Date.now() / 1000));
    if (!verdict.ok) {
      const { rawPath, path } = event as { rawPath?: string; path?: string };
      deps.logger.warn({ path: rawPath ?? path, reason: verdict.reason }, 'Slack request refused');
      return { statusCode: verdict.status, body: '' };
    }
    return boltHandler({ ...event, body: verdict.rawBody, isBase64Encoded: false }, context);
  };
  return { app, receiver, handler };
}
