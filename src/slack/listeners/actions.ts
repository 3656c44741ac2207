import type { App, BlockAction, ButtonAction, RespondArguments } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { errorSummary } from '../../errors';
import type { QcOperation, SlackContext } from '../../qc/model';
import { OP_PROGRESS } from '../../qc/monitoring';
import { ACTION_PATTERN } from '../blocks/kit';
import { outcomeMessage } from '../blocks/qc-outcome';
import { notLinkedModal, signInModalFor } from '../blocks/signin-modal';
import { parseAlertOpValue, parseConfirmValue, parseQcOpValue } from '../button-value';
import type { AckDeps } from '../deps';
import { enqueue, requestIdOf } from './enqueue';
import { dmInTime, openModalInTime, SIGNIN_NOT_OPENED } from './within-ack';

/** callback_id of the global shortcut in slack-manifest.yml. */
export const SIGNIN_SHORTCUT = 'qc_signin_shortcut';

type Respond = (message: RespondArguments) => Promise<unknown>;
type Click = BlockAction<ButtonAction>;

const say = (respond: Respond, text: string) =>
  respond({ response_type: 'ephemeral', replace_original: false, text });

async function respondNotLinked(respond: Respond, userId: string): Promise<void> {
  const m = outcomeMessage({ kind: 'not-linked' }, userId);
  await respond({
    response_type: 'ephemeral',
    replace_original: false,
    text: m.text,
    blocks: m.blocks as never,
  });
}

/**
 * Where a click came from. A click in the App Home tab has no channel: its answers go to the
 * user's DM with the app (the channel is the user ID, which the notifier turns into the DM).
 */
function contextOf(body: Click): SlackContext {
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
const clickId = (body: Click, action: ButtonAction) =>
  requestIdOf(body.team?.id ?? '', body.user.id, action.action_ts, action.action_id, action.value ?? '');

/** Enqueue a QC operation for the clicker's own inspector (their link, their session). */
async function enqueueOp(
  deps: AckDeps,
  body: Click,
  action: ButtonAction,
  respond: Respond,
  op: QcOperation,
  agentId: string,
  alertId?: string,
): Promise<boolean> {
  const slack = contextOf(body);
  const link = await deps.links.getLink(slack.teamId, slack.userId);
  if (!link) {
    await respondNotLinked(respond, slack.userId);
    return false;
  }
  await enqueue(deps, slack, clickId(body, action), {
    kind: 'qc',
    op,
    agentId,
    inspectorId: link.inspectorId,
    ...(alertId ? { alertId } : {}),
  });
  return true;
}

interface ClickArgs {
  ack: () => Promise<void>;
  body: Click;
  action: ButtonAction;
  /** Absent for a click in the App Home tab (or a modal): such a click has no response_url. */
  respond?: Respond;
  client: WebClient;
  context: Record<string, unknown>;
}

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
    const blocks = (m as { blocks?: unknown[] }).blocks;
    await dmInTime(deps, client, context, body.user.id, { text: m.text, ...(blocks ? { blocks } : {}) });
  };
}

function guarded(
  deps: AckDeps,
  what: string,
  fn: (a: { body: Click; action: ButtonAction; respond: Respond; args: ClickArgs }) => Promise<unknown>,
) {
  return async (args: ClickArgs) => {
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

/** Buttons: QC operations, alert buttons, confirmations, sign-in and sign-out. */
export function registerActions(app: App, deps: AckDeps): void {
  // `op:agent` (refusal messages, App Home; button-value.ts). Re-validated here and in the worker.
  app.action<Click>(
    ACTION_PATTERN.qcOp,
    guarded(deps, 'qc_op', async ({ body, action, respond }) => {
      const parsed = parseQcOpValue(action.value, deps.maxAgentId);
      if (!parsed) return say(respond, 'That button is not valid any more.');
      await enqueueOp(deps, body, action, respond, parsed.op, parsed.agentId);
    }),
  );

  // `op:agent:alertId` on a monitoring alert: the worker re-reads the alert and checks the agent.
  app.action<Click>(
    ACTION_PATTERN.alertOp,
    guarded(deps, 'qc_alert', async ({ body, action, respond }) => {
      const parsed = parseAlertOpValue(action.value, deps.maxAgentId);
      if (!parsed) return say(respond, 'That alert button is not valid.');
      const { op, agentId, alertId } = parsed;
      if (await enqueueOp(deps, body, action, respond, op, agentId, alertId))
        await say(respond, `:hourglass_flowing_sand: ${OP_PROGRESS[op]} ${agentId}…`);
    }),
  );

  // The "Yes" of a confirmation (force-*, release-call): `op:target`.
  app.action<Click>(
    ACTION_PATTERN.confirmOp,
    guarded(deps, 'qc_confirm', async ({ body, action, respond }) => {
      const parsed = parseConfirmValue(action.value, deps.maxAgentId);
      if (!parsed) return say(respond, 'That button is not valid any more.');
      const slack = contextOf(body);
      if (parsed.kind === 'release-call') {
        const link = await deps.links.getLink(slack.teamId, slack.userId);
        if (!link) return respondNotLinked(respond, slack.userId);
        await enqueue(deps, slack, clickId(body, action), {
          kind: 'release-call',
          callId: parsed.callId,
          inspectorId: link.inspectorId,
        });
        return respond({
          replace_original: true,
          text: `:hourglass_flowing_sand: Releasing call ${parsed.callId}…`,
        });
      }
      const { op, agentId } = parsed;
      if (await enqueueOp(deps, body, action, respond, op, agentId))
        await respond({
          replace_original: true,
          text: `:hourglass_flowing_sand: ${OP_PROGRESS[op]} ${agentId}…`,
        });
    }),
  );

  app.action<Click>(
    ACTION_PATTERN.cancel,
    guarded(deps, 'qc_cancel', async ({ respond }) => {
      await respond({ delete_original: true });
    }),
  );

  app.action<Click>(
    ACTION_PATTERN.signOut,
    guarded(deps, 'qc_signout', async ({ body, action }) => {
      await enqueue(deps, contextOf(body), clickId(body, action), { kind: 'signout' });
    }),
  );

  // The global shortcut "Sign in to the gateway" (manifest: qc_signin_shortcut).
  app.shortcut(SIGNIN_SHORTCUT, async ({ ack, body, client, context }) => {
    await ack();
    const teamId = body.team?.id ?? '';
    const link = await deps.links.getLink(teamId, body.user.id);
    const view = link ? signInModalFor(link) : notLinkedModal();
    await openModalInTime(deps, client, context, body.trigger_id, view);
  });

  // "Sign in" on a refusal message or on the App Home tab (which may be stale: the user was unlinked since).
  app.action<Click>(
    ACTION_PATTERN.openSignIn,
    guarded(deps, 'qc_open_signin', async ({ body, respond, args }) => {
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
    }),
  );
}
