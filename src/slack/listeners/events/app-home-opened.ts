import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import { errorSummary } from '../../../errors';
import type { AckDeps } from '../../deps';
import { enqueue, requestIdOf } from '../enqueue';

/** The App Home tab is (re)drawn by the worker when a user opens it. */
export const appHomeOpened =
  (deps: AckDeps) =>
  async ({ event, body }: SlackEventMiddlewareArgs<'app_home_opened'> & AllMiddlewareArgs): Promise<void> => {
    if (event.tab !== 'home') return;
    // Bolt types both as always there; a body without them still gets a stable id.
    const teamId = body.team_id ?? '';
    const eventId = body.event_id ?? `${event.user}:${event.event_ts}`;
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
  };
