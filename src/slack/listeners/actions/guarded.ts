import { errorSummary } from '../../../errors';
import type { AckDeps } from '../../deps';
import { enqueue, requestIdOf } from '../enqueue';
import { dmInTime } from '../within-ack';
import { type ClickArgs, type ClickHandler, clickId, contextOf, type Respond, say } from './click';

/**
 * How a click is answered: through its response_url, or, for a click in a view (the App Home tab, a
 * modal: no response_url), by a DM from the app. A Home tab is then redrawn by the worker (a `home`
 * job), since what the person clicked may be stale (an admin unlinked them, a session ended).
 */
function answerFor(deps: AckDeps, args: ClickArgs): Respond {
  if (args.respond && args.body.response_url) return args.respond;
  const { body, action, client, context } = args;
  let redrawn = body.view?.type !== 'home'; // a modal's button: no tab to redraw
  return async (m) => {
    if (!redrawn) {
      redrawn = true;
      const slack = { ...contextOf(body), channelId: body.user.id };
      await enqueue(deps, slack, requestIdOf(clickId(body, action), 'home'), { kind: 'home' });
    }
    if (m.delete_original || !m.text) return; // nothing to say in a DM
    const blocks = 'blocks' in m ? m.blocks : undefined;
    await dmInTime(deps, client, context, body.user.id, { text: m.text, ...(blocks ? { blocks } : {}) });
  };
}

/**
 * A button's listener: acks at once, then runs `fn`; an error is logged and answered ("internal
 * error, nothing was sent"), never thrown back to Bolt.
 */
export function guarded(deps: AckDeps, what: string, fn: ClickHandler) {
  return async (args: ClickArgs): Promise<void> => {
    await args.ack();
    const respond = answerFor(deps, args);
    try {
      await fn({ body: args.body, action: args.action, respond, args });
    } catch (err) {
      deps.logger.error({ what, err: errorSummary(err) }, 'button failed');
      await say(
        respond,
        ':warning: qc-slack could not take the request (internal error). Nothing was sent to the gateway.',
      ).catch((e: unknown) =>
        // The person sees no answer; the log line above already tells why. Never a 500 on top.
        deps.logger.warn({ what, err: errorSummary(e) }, 'the error answer could not be sent'),
      );
    }
  };
}
