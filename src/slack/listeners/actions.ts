import type { App, BlockAction, ButtonAction, RespondArguments } from '@slack/bolt';
import { QC_OPERATIONS, type QcOperation } from '../../queue/jobs';
import { ACTION_PATTERN } from '../blocks/kit';
import { outcomeMessage } from '../blocks/qc-outcome';
import { signInModalFor } from '../blocks/signin-modal';
import type { AckDeps } from '../deps';
import { parseAgentArg } from '../parse';
import { enqueue, requestIdOf } from './enqueue';

type Respond = (message: RespondArguments) => Promise<unknown>;

async function respondNotLinked(respond: Respond, userId: string): Promise<void> {
  const m = outcomeMessage({ kind: 'not-linked' }, userId);
  await respond({
    response_type: 'ephemeral',
    replace_original: false,
    text: m.text,
    blocks: m.blocks as never,
  });
}

/** Buttons: QC operations (value `op:agent`, re-validated here and in the worker) and sign-in. */
export function registerActions(app: App, deps: AckDeps): void {
  app.action<BlockAction<ButtonAction>>(ACTION_PATTERN.qcOp, async ({ ack, body, action, respond }) => {
    await ack();
    const [op, agentRaw] = (action.value ?? '').split(':');
    const agent = parseAgentArg(agentRaw, deps.maxAgentId);
    const teamId = body.team?.id ?? body.user.team_id ?? '';
    const slack = {
      teamId,
      userId: body.user.id,
      channelId: body.channel?.id ?? body.container?.channel_id ?? '',
      ...(body.response_url ? { responseUrl: body.response_url } : {}),
    };
    if (!QC_OPERATIONS.includes(op as QcOperation) || !agent.ok || !slack.channelId) {
      await respond({
        response_type: 'ephemeral',
        replace_original: false,
        text: 'That button is not valid any more.',
      });
      return;
    }
    try {
      const link = await deps.links.getLink(teamId, body.user.id);
      if (!link) return await respondNotLinked(respond, body.user.id);
      // A double click carries the same action_ts: one request id, one gateway call.
      const requestId = requestIdOf(
        teamId,
        body.user.id,
        action.action_ts,
        action.action_id,
        action.value ?? '',
      );
      await enqueue(deps, slack, requestId, {
        kind: 'qc',
        op: op as QcOperation,
        agentId: agent.id,
        inspectorId: link.inspectorId,
      });
    } catch (err) {
      deps.logger.error({ error: (err as Error).name, msg: (err as Error).message }, 'button failed');
      await respond({
        response_type: 'ephemeral',
        replace_original: false,
        text: ':warning: qc-slack could not take the request (internal error). Nothing was sent to the gateway.',
      });
    }
  });

  app.action<BlockAction<ButtonAction>>(ACTION_PATTERN.openSignIn, async ({ ack, body, client, respond }) => {
    await ack();
    const link = await deps.links.getLink(body.team?.id ?? '', body.user.id);
    if (!link) return await respondNotLinked(respond, body.user.id);
    await client.views.open({
      trigger_id: body.trigger_id,
      view: signInModalFor(link) as never,
    });
  });
}
