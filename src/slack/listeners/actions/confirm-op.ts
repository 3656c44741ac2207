import { OP_PROGRESS } from '../../../qc/monitoring';
import { parseConfirmValue } from '../../button-value';
import type { AckDeps } from '../../deps';
import { type ClickHandler, enqueueForClicker, enqueueOp, say } from './click';

/** The "Yes" of a confirmation (force-*, release-call): `op:target`. */
export const confirmOpClick =
  (deps: AckDeps): ClickHandler =>
  async (click) => {
    const { action, respond } = click;
    const parsed = parseConfirmValue(action.value, deps.maxAgentId);
    if (!parsed) return say(respond, 'That button is not valid any more.');
    if (parsed.kind === 'release-call') {
      const { callId } = parsed;
      const queued = await enqueueForClicker(deps, click, (inspectorId) => ({
        kind: 'release-call',
        callId,
        inspectorId,
      }));
      if (!queued) return;
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
