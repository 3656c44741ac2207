/**
 * /sim/ controls for the floor: traffic (calls that start and end on their own), bursts (N state changes
 * per second across M agents) and how inspectors' phones answer after listen/insert/whisper.
 */
import type { BurstRequest } from './burst';
import { SimError } from './errors';
import type { Simulator } from './model';
import { checkTraffic } from './traffic';

/** Returned when the request is not one of these controls. */
export const NOT_FLOOR = Symbol('not a floor control');

type Body = () => Promise<Record<string, unknown>>;

export async function floorControl(
  sim: Simulator,
  key: string,
  body: Body,
): Promise<unknown | typeof NOT_FLOOR> {
  switch (key) {
    case 'GET /sim/traffic':
      return sim.traffic.status();
    case 'POST /sim/traffic': {
      const b = await body();
      const change = checkTraffic(b);
      return sim.traffic.set(typeof b.on === 'boolean' ? { ...change, on: b.on } : change);
    }
    case 'GET /sim/burst':
      return sim.bursts.status() ?? { running: false };
    case 'POST /sim/burst':
      return sim.bursts.start(burstRequest(await body()));
    case 'DELETE /sim/burst':
      return sim.bursts.stop() ?? { running: false };
    case 'GET /sim/phone':
      return sim.phones.settings();
    case 'POST /sim/phone': {
      const b = await body();
      if (!('answerAfterMs' in b))
        throw new SimError('answerAfterMs: expected ms (0 = at once) or null (never)');
      return sim.phones.set(optionalAgent(sim, b.agentId), {
        answerAfterMs: b.answerAfterMs as number | null,
      });
    }
    case 'DELETE /sim/phone':
      sim.phones.clear();
      return sim.phones.settings();
    case 'POST /sim/phone/answer': {
      const id = optionalAgent(sim, (await body()).agentId);
      if (id === undefined) throw new SimError('agentId: expected the inspector whose phone rings');
      sim.answerPhone(id);
      return { ok: true };
    }
    default:
      return NOT_FLOOR;
  }
}

function optionalAgent(sim: Simulator, v: unknown): string | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'string' && typeof v !== 'number') throw new SimError('agentId: expected an agent ID');
  const id = String(v);
  if (!sim.agent(id)) throw new SimError(`unknown agent ${JSON.stringify(id)}`, 404);
  return id;
}

function burstRequest(b: Record<string, unknown>): BurstRequest {
  const agents = b.agents;
  const ok =
    (typeof agents === 'number' && Number.isInteger(agents)) ||
    (Array.isArray(agents) && agents.every((x) => typeof x === 'string'));
  if (!ok) throw new SimError('agents: expected a count or a list of agent IDs (strings)');
  const req: BurstRequest = {
    changesPerSecond: b.changesPerSecond as number,
    seconds: b.seconds as number,
    agents: agents as string[] | number,
  };
  if (b.vdn !== undefined) req.vdn = b.vdn as number;
  if (b.seed !== undefined) req.seed = b.seed as number;
  return req;
}
