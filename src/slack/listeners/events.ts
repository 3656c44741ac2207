import type { App } from '@slack/bolt';
import { errorSummary } from '../../errors';
import type { AckDeps } from '../deps';
import { enqueue, requestIdOf } from './enqueue';

/** Events API: the App Home tab is (re)drawn by the worker when a user opens it. */
export function registerEvents(app: App, deps: AckDeps): void {
  app.event('app_home_opened', async ({ event, body }) => {
    if (event.tab !== 'home') return;
    const teamId = (body as { team_id?: string }).team_id ?? '';
    const eventId = (body as { event_id?: string }).event_id ?? `${event.user}:${event.event_ts}`;
    try {
      await enqueue(
        deps,
        { teamId, userId: event.user, channelId: event.user },
        requestIdOf(teamId, eventId),
        {
          kind: 'home',
        },
      );
    } catch (err) {
      deps.logger.error({ err: errorSummary(err) }, 'app_home_opened could not be queued');
    }
  });
}
