import { OP_PROGRESS } from '../../../qc/monitoring';
import { parseAlertOpValue } from '../../button-value';
import type { AckDeps } from '../../deps';
import { type ClickHandler, enqueueOp, say } from './click';

/** `op:agent:alertId` on a monitoring alert: the worker re-reads the alert and checks the agent. */
export const alertOpClick =
  (deps: AckDeps): ClickHandler =>
  async (click) => {
    const parsed = parseAlertOpValue(click.action.value, deps.maxAgentId);
    if (!parsed) return say(click.respond, 'That alert button is not valid.');
    const { op, agentId, alertId } = parsed;
    if (await enqueueOp(deps, click, op, agentId, alertId))
      await say(click.respond, `:hourglass_flowing_sand: ${OP_PROGRESS[op]} ${agentId}…`);
  };
