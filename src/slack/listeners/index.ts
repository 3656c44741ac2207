import type { App } from '@slack/bolt';
import type { AckDeps } from '../deps';
import { registerActions } from './actions';
import { registerCommands } from './commands';
import { registerEvents } from './events';
import { registerShortcuts } from './shortcuts';
import { registerViews } from './views';

/** Every listener of the Slack function, registered on one Bolt app. */
export function registerListeners(app: App, deps: AckDeps): void {
  registerCommands(app, deps);
  registerActions(app, deps);
  registerShortcuts(app, deps);
  registerViews(app, deps);
  registerEvents(app, deps);
}
