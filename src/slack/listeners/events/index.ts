import type { App } from '@slack/bolt';
import type { AckDeps } from '../../deps';
import { appHomeOpened } from './app-home-opened';

/** Events API. */
export function registerEvents(app: App, deps: AckDeps): void {
  app.event('app_home_opened', appHomeOpened(deps));
}
