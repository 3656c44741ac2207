import { parseTakeOverClick } from '../../blocks/takeover';
import type { AckDeps } from '../../deps';
import { enqueue } from '../enqueue';
import { type ClickHandler, clickId, contextOf, respondNotLinked, say } from './click';

/**
 * "Take over" (the floor, the /intercept refusal, a monitoring alert): the value is `agent` or
 * `agent:alertId`, re-validated here and in the worker. The click's action_ts makes the request id:
 * a redelivered click is one take-over.
 */
export const takeOverClick =
  (deps: AckDeps): ClickHandler =>
  async ({ body, action, respond }) => {
    const parsed = parseTakeOverClick(action.value, deps.maxAgentId);
    if (!parsed) return say(respond, 'That Take over button is not valid any more.');
    const slack = contextOf(body);
    const link = await deps.links.getLink(slack.teamId, slack.userId);
    if (!link) return respondNotLinked(respond, slack.userId);
    await enqueue(deps, slack, clickId(body, action), {
      kind: 'takeover',
      agentId: parsed.agentId,
      inspectorId: link.inspectorId,
      ...(parsed.alertId ? { alertId: parsed.alertId } : {}),
    });
    await say(respond, `:hourglass_flowing_sand: Taking over ${parsed.agentId}: listening first…`);
  };
