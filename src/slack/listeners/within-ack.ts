import type { Block, KnownBlock, View } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import { errorSummary } from '../../errors';
import { ackDeadline, beforeDeadline, receivedAtOf } from '../ack-budget';
import type { AckDeps } from '../deps';
import { slackErrorCode } from '../web-api-errors';

/** What the ack path answers when Slack did not open the sign-in window (too slow, or refused). */
export const SIGNIN_NOT_OPENED =
  ':warning: Slack did not open the sign-in window in time. Try `/qc signin` again in a moment.';

type Context = Record<string, unknown> | undefined;

/**
 * Opens a modal from the ack path within the ack budget (ack-budget.ts): true once it is open, false when
 * Slack refused it or did not answer before the deadline (logged; the caller tells the person).
 */
export async function openModalInTime(
  deps: AckDeps,
  client: Pick<WebClient, 'views'>,
  context: Context,
  triggerId: string,
  view: View,
): Promise<boolean> {
  const deadline = ackDeadline(receivedAtOf(context, deps.now));
  try {
    await beforeDeadline(deadline, deps.now, 'views.open', () =>
      client.views.open({ trigger_id: triggerId, view }),
    );
    return true;
  } catch (err) {
    deps.logger.warn(
      { err: errorSummary(err), code: slackErrorCode(err) },
      'the modal could not be opened within the ack budget',
    );
    return false;
  }
}

/** A DM from the app to `userId` (chat.postMessage to the user ID opens it), within the ack budget. */
export async function dmInTime(
  deps: AckDeps,
  client: Pick<WebClient, 'chat'>,
  context: Context,
  userId: string,
  message: { text: string; blocks?: (KnownBlock | Block)[] },
): Promise<void> {
  const deadline = ackDeadline(receivedAtOf(context, deps.now));
  await beforeDeadline(deadline, deps.now, 'chat.postMessage', () =>
    client.chat.postMessage({
      channel: userId,
      text: message.text,
      ...(message.blocks?.length ? { blocks: message.blocks } : {}),
    }),
  );
}
