import type { AllMiddlewareArgs, GlobalShortcut, SlackShortcutMiddlewareArgs } from '@slack/bolt';
import { notLinkedModal, signInModalFor } from '../../blocks/signin-modal';
import type { AckDeps } from '../../deps';
import { openModalInTime } from '../within-ack';

/** callback_id of the global shortcut in slack-manifest.yml. */
export const SIGNIN_SHORTCUT = 'qc_signin_shortcut';

/** The global shortcut "Sign in to the gateway": the sign-in modal, or why there is none yet. */
export const signInShortcut =
  (deps: AckDeps) =>
  async ({
    ack,
    body,
    client,
    context,
  }: SlackShortcutMiddlewareArgs<GlobalShortcut> & AllMiddlewareArgs): Promise<void> => {
    await ack();
    const teamId = body.team?.id ?? '';
    const link = await deps.links.getLink(teamId, body.user.id);
    const view = link ? signInModalFor(link) : notLinkedModal();
    await openModalInTime(deps, client, context, body.trigger_id, view);
  };
