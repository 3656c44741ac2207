import { parseQcOpValue } from '../../button-value';
import type { AckDeps } from '../../deps';
import { type ClickHandler, enqueueOp, say } from './click';

/** `op:agent` (refusal messages, App Home; button-value.ts). Re-validated here and in the worker. */
export const qcOpClick =
  (deps: AckDeps): ClickHandler =>
  async (click) => {
    const parsed = parseQcOpValue(click.action.value, deps.maxAgentId);
    if (!parsed) return say(click.respond, 'That button is not valid any more.');
    await enqueueOp(deps, click, parsed.op, parsed.agentId);
  };
