/**
 * The browser console of the local stack (docs/console.md): a Slack-like page served at /console/ whose
 * every action goes through the real path — a request signed as Slack signs it, POSTed to the stack's
 * own /slack/events (alerts: a signed POST /alerts) — and that sees the bot's Web API calls land in the
 * local fake Slack, pushed to it over SSE with the simulator's snapshots.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { StoreChange } from '../slack-api/index';
import { buildConsoleBundle, type ConsoleBundle } from './bundle';
import type { ConsoleContext } from './context';
import { handleConsole } from './routes';
import { SimWatcher, simView } from './sim-bridge';
import type { SentRequest } from './slack-bridge';
import { SlackBridge } from './slack-bridge';
import { SseHub } from './sse';
import { fileOut, messageOut, viewOut } from './state';

export type { ConsoleContext, ConsoleUser } from './context';
export { FAULT_PRESET_NOTES, FAULT_PRESETS, presetFaults, QC_INTERFACES } from './sim-bridge';

export interface ConsoleBridge {
  /** Answers /console/…; false for any other path. */
  handle(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
  /**
   * The page's bundle, built in memory by esbuild once per process: `npm start` asks for it at start;
   * otherwise the first request for /console/app.js builds it (tests that never open the page skip it).
   */
  bundle(): Promise<ConsoleBundle>;
  /** Ends the event streams and stops watching the simulator. */
  close(): void;
  /** The signed requests the page's actions sent to /slack/events (the last 100). */
  readonly sent: readonly SentRequest[];
}

/** A store change as the page gets it (`event: slack`); undefined for what the page does not show. */
export function slackEvent(change: StoreChange): Record<string, unknown> | undefined {
  switch (change.kind) {
    case 'message':
    case 'update':
    case 'delete':
      return { type: change.kind, message: messageOut(change.message) };
    case 'view':
    case 'home':
      return { type: change.kind, view: viewOut(change.view) };
    case 'file':
      return { type: 'file', file: fileOut(change.file) };
    case 'reset':
      return { type: 'reset' };
    default:
      return undefined;
  }
}

export function createConsole(ctx: ConsoleContext): ConsoleBridge {
  const bridge = new SlackBridge(ctx);
  const watcher: SimWatcher = new SimWatcher(
    ctx.sim,
    () => hub.size > 0,
    (snapshot) => hub.send('sim', snapshot),
  );
  const hub = new SseHub(() => watcher.start());
  const unsubscribe = ctx.slack.store.on('change', (change) => {
    const event = slackEvent(change);
    if (event) hub.send('slack', event);
  });
  return {
    handle: (req, res) =>
      handleConsole(req, res, {
        ctx,
        bridge,
        openEvents: (r, s) => hub.open(r, s, ctx.sim ? [{ event: 'sim', data: simView(ctx.sim) }] : []),
      }),
    bundle: buildConsoleBundle,
    sent: bridge.sent,
    close: () => {
      unsubscribe();
      watcher.stop();
      hub.close();
    },
  };
}
