import { OP_PROGRESS } from '../../../qc/monitoring';
import { parseConfirmValue } from '../../button-value';
import type { AckDeps } from '../../deps';
import { enqueue } from '../enqueue';
import { type ClickHandler, clickId, contextOf, enqueueOp, respondNotLinked, say } from './click';

/** The "Yes" of a confirmation (force-*, release-call): `op:target`. */
export const confirmOpClick =
  (deps: AckDeps): ClickHandler =>
  async (click) => {
    const { body, action, respond } = click;
    const parsed = parseConfirmValue(action.value, deps.maxAgentId);
    if (!parsed) return say(respond, 'That button is not valid any more.');
    if (parsed.kind === 'release-call') {
      const slack = contextOf(body);
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
    if (await enqueueOp(deps, click, op, agentId))
      await respond({
        replace_original: true,
        text: `:hourglass_flowing_sand: ${OP_PROGRESS[op]} ${agentId}…`,
      });
  };
