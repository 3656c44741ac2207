import { App, LogLevel } from '@slack/bolt';
import type { socketModeConfig } from '../src/config';
import type { AckDeps } from '../src/slack/deps';
import { registerListeners } from '../src/slack/listeners';

export type SocketModeTokens = NonNullable<ReturnType<typeof socketModeConfig>>;

/**
 * The same listeners as the Slack function, reached over Socket Mode instead of HTTP: a real
 * workspace without a public URL. Only the transport differs; acks, queue and worker are the same.
 */
export async function startSocketMode(
  tokens: SocketModeTokens,
  deps: AckDeps,
): Promise<{ stop(): Promise<void> }> {
  const clientOptions = tokens.apiUrl ? { slackApiUrl: tokens.apiUrl } : {};
  const app = new App({
    token: tokens.botToken,
    appToken: tokens.appToken,
    socketMode: true,
    logLevel: LogLevel.WARN,
    clientOptions,
    // The socket's own client (apps.connections.open) reads its options here.
    installerOptions: { clientOptions },
  });
  registerListeners(app, deps);
  await app.start();
  return { stop: () => app.stop().then(() => undefined) };
}
