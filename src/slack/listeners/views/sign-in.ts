import type {
  AllMiddlewareArgs,
  SlackViewMiddlewareArgs,
  ViewResponseAction,
  ViewSubmitAction,
} from '@slack/bolt';
import type { ModalView } from '@slack/types';
import { errorSummary } from '../../../errors';
import type { SignInOutcome, SignInRequest } from '../../../qc/signin';
import { noPhoneModal, SIGNIN_ACTION, SIGNIN_BLOCK, signInModal } from '../../blocks/signin-modal';
import type { AckDeps } from '../../deps';

type Submission = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

/** A text input's value, or a select's chosen option's value. */
function field(view: ViewSubmitAction['view'], block: string, action: string): string | undefined {
  const state = view.state.values[block]?.[action];
  const value = state?.selected_option?.value ?? state?.value;
  return typeof value === 'string' ? value : undefined;
}

const done = (title: string, text: string): ModalView => ({
  type: 'modal',
  title: { type: 'plain_text', text: title },
  close: { type: 'plain_text', text: 'Close' },
  blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }],
});

const fieldError = (block: string, error: string): ViewResponseAction => ({
  response_action: 'errors',
  errors: { [block]: error },
});

const update = (view: ModalView): ViewResponseAction => ({ response_action: 'update', view });

type Fields = Pick<SignInRequest, 'password' | 'phone' | 'force'>;

/** The modal's fields, or the field error to show (nothing is sent to the gateway then). */
function readSubmission(view: ViewSubmitAction['view']): { fields: Fields } | { answer: ViewResponseAction } {
  const password = field(view, SIGNIN_BLOCK.password, SIGNIN_ACTION.password) ?? '';
  const phone = field(view, SIGNIN_BLOCK.phone, SIGNIN_ACTION.phone)?.trim();
  if (password.length === 0) return { answer: fieldError(SIGNIN_BLOCK.password, 'Enter your CTI password.') };
  // Which numbers the link allows is checked by the sign-in itself (it reads the link anyway).
  if (phone && !/^\+?[0-9]{2,24}$/.test(phone))
    return { answer: fieldError(SIGNIN_BLOCK.phone, 'That is not a number an admin allowed for you.') };
  let force = false;
  try {
    force = Boolean((JSON.parse(view.private_metadata || '{}') as { force?: boolean }).force);
  } catch {
    force = false;
  }
  return { fields: { password, ...(phone ? { phone } : {}), force } };
}

function signedIn(out: Extract<SignInOutcome, { kind: 'signed-in' }>): ViewResponseAction {
  return update(
    done(
      'Signed in',
      `:white_check_mark: Signed in as inspector *${out.inspectorId}* (${out.mode === 'push' ? 'push events' : 'event polling'}). qc-slack keeps the session alive; try \`/qc listen 2005\`.${
        out.passwordDaysLeft !== undefined && out.passwordDaysLeft <= 14
          ? `\n:warning: Your CTI password expires in ${out.passwordDaysLeft} days.`
          : ''
      }`,
    ),
  );
}

function refused(out: Extract<SignInOutcome, { kind: 'refused' }>): ViewResponseAction {
  if (!out.canForce)
    return fieldError(
      SIGNIN_BLOCK.password,
      `${out.explanation.meaning} ${out.explanation.nextStep} (retcode ${out.retcode})`.slice(0, 150),
    );
  return update(
    signInModal({
      inspectorId: out.inspectorId,
      phones: out.phones,
      phone: out.phone,
      force: true,
      note: `:warning: Inspector ${out.inspectorId} is already signed in elsewhere (retcode 100-002). Enter the password again to *force* sign-in: the other session is signed out.`,
    }),
  );
}

/** What the modal shows for each sign-in outcome: a new view, or an error under a field. */
function answerOf(out: SignInOutcome): ViewResponseAction {
  switch (out.kind) {
    case 'signed-in':
      return signedIn(out);
    case 'not-linked':
      return update(
        done(
          'Not linked',
          'You are not linked to an inspector ID. Ask a qc-slack admin: `/qc link @you <inspector-id>`.',
        ),
      );
    case 'no-phone':
      return update(noPhoneModal(out.inspectorId));
    case 'phone-not-allowed':
      // Under 150 characters (Slack's limit for a field error).
      return fieldError(
        SIGNIN_BLOCK.phone,
        `That is not a number an admin allowed for inspector ${out.inspectorId}. Pick one of the list, or ask a qc-slack admin.`,
      );
    case 'refused':
      return refused(out);
    case 'transport':
      return fieldError(
        SIGNIN_BLOCK.password,
        `${out.error.explanation} ${out.error.nextStep}`.slice(0, 150),
      );
  }
}

/**
 * The sign-in modal's submission: the one place the Slack function talks to the gateway, so the
 * password never travels through a queue or gets stored. The gateway client loads lazily.
 */
export const signInSubmission =
  (deps: AckDeps) =>
  async ({ ack, body, view }: Submission): Promise<void> => {
    const read = readSubmission(view);
    if ('answer' in read) return ack(read.answer);
    const teamId = body.team?.id ?? body.user.team_id ?? '';
    const req: SignInRequest = { teamId, userId: body.user.id, ...read.fields };
    const out = await deps.signIn(req).catch((err: unknown) => {
      deps.logger.error({ err: errorSummary(err) }, 'sign-in failed');
      return null;
    });
    if (!out) return ack(fieldError(SIGNIN_BLOCK.password, 'qc-slack hit an internal error; try again.'));
    await ack(answerOf(out));
  };
