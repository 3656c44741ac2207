import type {
  AllMiddlewareArgs,
  BlockAction,
  ButtonAction,
  RespondArguments,
  RespondFn,
  SlackActionMiddlewareArgs,
} from '@slack/bolt';
import type { QcOperation, SlackContext } from '../../../qc/model';
import { outcomeMessage } from '../../blocks/qc-outcome';
import type { AckDeps } from '../../deps';
import { enqueue, type JobSpec, requestIdOf } from '../enqueue';

/** A click on a button: Bolt's body of a block action. */
export type Click = BlockAction<ButtonAction>;

/** Bolt's arguments to a button listener. */
export type ClickArgs = Omit<SlackActionMiddlewareArgs<Click>, 'respond'> &
  AllMiddlewareArgs & {
    /** Absent for a click in the App Home tab (or a modal): such a click has no response_url. */
    respond?: RespondFn;
  };

/** How a click is answered (answerFor: its response_url, or a DM). */
export type Respond = (message: RespondArguments) => Promise<unknown>;

/** What one button's handler gets: the click, and how to answer it. */
export type ClickHandler = (click: {
  body: Click;
  action: ButtonAction;
  respond: Respond;
  args: ClickArgs;
}) => Promise<unknown>;

export const say = (respond: Respond, text: string) =>
  respond({ response_type: 'ephemeral', replace_original: false, text });

export async function respondNotLinked(respond: Respond, userId: string): Promise<void> {
  const m = outcomeMessage({ kind: 'not-linked' }, userId);
  await respond({
    response_type: 'ephemeral',
    replace_original: false,
    text: m.text,
    blocks: m.blocks,
  });
}

/**
 * Where a click came from. A click in the App Home tab has no channel: its answers go to the
 * user's DM with the app (the channel is the user ID, which the notifier turns into the DM).
 */
export function contextOf(body: Click): SlackContext {
  const teamId = body.team?.id ?? body.user.team_id ?? '';
  const channelId = body.channel?.id ?? body.container?.channel_id ?? body.user.id;
  return {
    teamId,
    userId: body.user.id,
    channelId,
    ...(body.response_url ? { responseUrl: body.response_url } : {}),
  };
}

/** A double click carries the same action_ts: one request id, one gateway call. */
export const clickId = (body: Click, action: ButtonAction) =>
  requestIdOf(body.team?.id ?? '', body.user.id, action.action_ts, action.action_id, action.value ?? '');

/**
 * Enqueue a job for the clicker's own inspector (their link, their session): `spec` gets the inspector
 * ID. An unlinked clicker is told so and nothing is queued (false).
 */
export async function enqueueForClicker(
  deps: AckDeps,
  click: { body: Click; action: ButtonAction; respond: Respond },
  spec: (inspectorId: string) => JobSpec,
): Promise<boolean> {
  const { body, action, respond } = click;
  const slack = contextOf(body);
  const link = await deps.links.getLink(slack.teamId, slack.userId);
  if (!link) {
    await respondNotLinked(respond, slack.userId);
    return false;
  }
  await enqueue(deps, slack, clickId(body, action), spec(link.inspectorId));
  return true;
}

/** Enqueue a QC operation for the clicker's own inspector. */
export const enqueueOp = (
  deps: AckDeps,
  click: { body: Click; action: ButtonAction; respond: Respond },
  op: QcOperation,
  agentId: string,
  alertId?: string,
): Promise<boolean> =>
  enqueueForClicker(deps, click, (inspectorId) => ({
    kind: 'qc',
    op,
    agentId,
    inspectorId,
    ...(alertId ? { alertId } : {}),
  }));
