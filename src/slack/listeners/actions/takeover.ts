import { parseTakeOverClick } from '../../blocks/takeover';
import type { AckDeps } from '../../deps';
import { type ClickHandler, enqueueForClicker, say } from './click';

/**
 * "Take over" (the floor, the /intercept refusal, a monitoring alert): the value is `agent` or
 * `agent:alertId`, re-validated here and in the worker. The click's action_ts makes the request id:
 * a redelivered click is one take-over.
 */
export const takeOverClick =
  (deps: AckDeps): ClickHandler =>
  async (click) => {
    const { action, respond } = click;
    const parsed = parseTakeOverClick(action.value, deps.maxAgentId);
    if (!parsed) return say(respond, 'That Take over button is not valid any more.');
    const queued = await enqueueForClicker(deps, click, (inspectorId) => ({
      kind: 'takeover',
      agentId: parsed.agentId,
      inspectorId,
      ...(parsed.alertId ? { alertId: parsed.alertId } : {}),
    }));
    if (queued)
      await say(respond, `:hourglass_flowing_sand: Taking over ${parsed.agentId}: listening first…`);
  };
