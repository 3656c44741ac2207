import type { App, ViewSubmitAction } from '@slack/bolt';
import { errorSummary } from '../../errors';
import {
  noPhoneModal,
  SIGNIN_ACTION,
  SIGNIN_BLOCK,
  SIGNIN_CALLBACK,
  signInModal,
} from '../blocks/signin-modal';
import type { AckDeps } from '../deps';

/** A text input's value, or a select's chosen option's value. */
function field(view: ViewSubmitAction['view'], block: string, action: string): string | undefined {
  const state = view.state.values[block]?.[action];
  const value = state?.selected_option?.value ?? state?.value;
  return typeof value === 'string' ? value : undefined;
}

const done = (title: string, text: string) => ({
  type: 'modal' as const,
  title: { type: 'plain_text' as const, text: title },
  close: { type: 'plain_text' as const, text: 'Close' },
  blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }],
});

/**
 * The sign-in modal's submission: the one place the Slack function talks to the gateway, so the
 * password never travels through a queue or gets stored. The gateway client loads lazily.
 */
export function registerViews(app: App, deps: AckDeps): void {
  app.view<ViewSubmitAction>(SIGNIN_CALLBACK, async ({ ack, body, view }) => {
    const password = field(view, SIGNIN_BLOCK.password, SIGNIN_ACTION.password) ?? '';
    const phone = field(view, SIGNIN_BLOCK.phone, SIGNIN_ACTION.phone)?.trim();
    if (password.length === 0) {
      await ack({
        response_action: 'errors',
        errors: { [SIGNIN_BLOCK.password]: 'Enter your CTI password.' },
      });
      return;
    }
    // Which numbers the link allows is checked by the sign-in itself (it reads the link anyway).
    if (phone && !/^\+?[0-9]{2,24}$/.test(phone)) {
      await ack({
        response_action: 'errors',
        errors: { [SIGNIN_BLOCK.phone]: 'That is not a number an admin allowed for you.' },
      });
      return;
    }
    let force = false;
    try {
      force = Boolean((JSON.parse(view.private_metadata || '{}') as { force?: boolean }).force);
    } catch {
      force = false;
    }
    const teamId = body.team?.id ?? body.user.team_id ?? '';
    const out = await deps
      .signIn({ teamId, userId: body.user.id, password, ...(phone ? { phone } : {}), force })
      .catch((err: unknown) => {
        deps.logger.error({ err: errorSummary(err) }, 'sign-in failed');
        return null;
      });
    if (!out) {
      await ack({
        response_action: 'errors',
        errors: { [SIGNIN_BLOCK.password]: 'qc-slack hit an internal error; try again.' },
      });
      return;
    }
    switch (out.kind) {
      case 'signed-in':
        await ack({
          response_action: 'update',
          view: done(
            'Signed in',
            `:white_check_mark: Signed in as inspector *${out.inspectorId}* (${out.mode === 'push' ? 'push events' : 'event polling'}). qc-slack keeps the session alive; try \`/qc listen 2005\`.${
              out.passwordDaysLeft !== undefined && out.passwordDaysLeft <= 14
                ? `\n:warning: Your CTI password expires in ${out.passwordDaysLeft} days.`
                : ''
            }`,
          ) as never,
        });
        return;
      case 'not-linked':
        await ack({
          response_action: 'update',
          view: done(
            'Not linked',
            'You are not linked to an inspector ID. Ask a qc-slack admin: `/qc link @you <inspector-id>`.',
          ) as never,
        });
        return;
      case 'no-phone':
        await ack({ response_action: 'update', view: noPhoneModal(out.inspectorId) as never });
        return;
      case 'phone-not-allowed':
        await ack({
          response_action: 'errors',
          errors: {
            // Under 150 characters (Slack's limit for a field error).
            [SIGNIN_BLOCK.phone]: `That is not a number an admin allowed for inspector ${out.inspectorId}. Pick one of the list, or ask a qc-slack admin.`,
          },
        });
        return;
      case 'refused':
        if (out.canForce) {
          await ack({
            response_action: 'update',
            view: signInModal({
              inspectorId: out.inspectorId,
              phones: out.phones,
              phone: out.phone,
              force: true,
              note: `:warning: Inspector ${out.inspectorId} is already signed in elsewhere (retcode 100-002). Enter the password again to *force* sign-in: the other session is signed out.`,
            }) as never,
          });
          return;
        }
        await ack({
          response_action: 'errors',
          errors: {
            [SIGNIN_BLOCK.password]:
              `${out.explanation.meaning} ${out.explanation.nextStep} (retcode ${out.retcode})`.slice(0, 150),
          },
        });
        return;
      case 'transport':
        await ack({
          response_action: 'errors',
          errors: { [SIGNIN_BLOCK.password]: `${out.error.explanation} ${out.error.nextStep}`.slice(0, 150) },
        });
        return;
    }
  });
}
