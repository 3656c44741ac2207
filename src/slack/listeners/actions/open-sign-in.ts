import { signInModalFor } from '../../blocks/signin-modal';
import type { AckDeps } from '../../deps';
import { openModalInTime, SIGNIN_NOT_OPENED } from '../within-ack';
import { type ClickHandler, respondNotLinked, say } from './click';

/** "Sign in" on a refusal message or on the App Home tab (which may be stale: the user was unlinked since). */
export const openSignInClick =
  (deps: AckDeps): ClickHandler =>
  async ({ body, respond, args }) => {
    const link = await deps.links.getLink(body.team?.id ?? '', body.user.id);
    if (!link) return respondNotLinked(respond, body.user.id);
    const opened = await openModalInTime(
      deps,
      args.client,
      args.context,
      body.trigger_id,
      signInModalFor(link),
    );
    if (!opened) await say(respond, SIGNIN_NOT_OPENED);
  };
