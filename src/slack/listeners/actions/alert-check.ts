import type { AckDeps } from '../../deps';
import { enqueue } from '../enqueue';
import { type ClickHandler, clickId, contextOf, say } from './click';

const ALERT_ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * "Check again" on an alert whose agent was not on a call: the worker reads the floor once more and
 * redraws the alert (its QC buttons come back once the agent is on a call). Anyone in the channel may ask.
 */
export const alertCheckClick =
  (deps: AckDeps): ClickHandler =>
  async (click) => {
    const alertId = click.action.value ?? '';
    if (!ALERT_ID.test(alertId)) return say(click.respond, 'That alert button is not valid.');
    await enqueue(deps, contextOf(click.body), clickId(click.body, click.action), {
      kind: 'alert-check',
      alertId,
    });
  };
