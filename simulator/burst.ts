/**
 * Bursts for the floor bench: `changesPerSecond` agent state changes per second across a set of agents for
 * `seconds`, evenly spaced on the simulator's clock. Each change moves one agent (chosen by a seeded
 * generator) one step along its call cycle: idle → ringing → talking → wrap-up → idle (see call-cycle.ts),
 * so each change is what the gateway shows for a real call, events and QC_AgentState_Notify included.
 * An agent that cannot move (signed out, busy, on a call the burst did not start, monitoring) is passed
 * over for the next one in the list; when none can move the change is counted as skipped. When a burst
 * ends, its agents stay where it left them; the next burst carries on from there.
 */
import type { CallCycles } from './call-cycle';
import { SimError } from './errors';
import type { Simulator } from './model';
import { SeededRandom } from './random';

export interface BurstRequest {
  changesPerSecond: number;
  seconds: number;
  /** Agent IDs, or a count: the first N non-inspector agents of `vdn` by ascending ID. */
  agents: string[] | number;
  /** With a count of agents (default 1). */
  vdn?: number;
  /** Default 1. */
  seed?: number;
}

export interface BurstStatus {
  running: boolean;
  changesPerSecond: number;
  seconds: number;
  agents: string[];
  seed: number;
  startedAt: number;
  endsAt: number;
  /** Planned state changes (changesPerSecond × seconds, rounded). */
  total: number;
  /** State changes made so far. */
  done: number;
  /** Planned changes for which no agent could move. */
  skipped: number;
}

export class Bursts {
  private current: BurstStatus | undefined;
  private gen = 0;
  private rnd = new SeededRandom(1);

  constructor(
    private readonly sim: Simulator,
    private readonly cycles: CallCycles,
  ) {}

  /** Starts a burst now (replacing a running one). */
  start(req: BurstRequest): BurstStatus {
    const { changesPerSecond, seconds, seed } = checkBurst(req);
    const agents = this.agentsOf(req);
    const now = this.sim.now();
    const total = Math.round(changesPerSecond * seconds);
    if (total > 1_000_000)
      throw new SimError(`changesPerSecond × seconds: at most 1000000 changes (got ${total})`);
    this.gen++;
    this.rnd = new SeededRandom(seed);
    this.current = {
      running: total > 0,
      changesPerSecond,
      seconds,
      agents,
      seed,
      startedAt: now,
      endsAt: now + Math.round(seconds * 1_000),
      total,
      done: 0,
      skipped: 0,
    };
    if (total > 0) this.schedule(0);
    return { ...this.current, agents: [...agents] };
  }

  /** The running (or last) burst; undefined when none was started. */
  status(): BurstStatus | undefined {
    return this.current ? { ...this.current, agents: [...this.current.agents] } : undefined;
  }

  /** Stops the running burst (its agents stay where they are). */
  stop(): BurstStatus | undefined {
    this.gen++;
    if (this.current) this.current.running = false;
    return this.status();
  }

  /** Forget the burst (reset). */
  clear(): void {
    this.gen++;
    this.current = undefined;
  }

  private schedule(i: number): void {
    const b = this.current;
    if (!b) return;
    const gen = this.gen;
    const at = b.startedAt + Math.round((i * 1_000) / b.changesPerSecond);
    this.sim.timeline.at(at, () => {
      if (gen !== this.gen) return;
      this.change(b);
      if (i + 1 < b.total) this.schedule(i + 1);
      else b.running = false;
    });
  }

  private change(b: BurstStatus): void {
    const start = this.rnd.int(b.agents.length);
    for (let k = 0; k < b.agents.length; k++) {
      const id = b.agents[(start + k) % b.agents.length] as string;
      if (this.move(id)) {
        b.done++;
        return;
      }
    }
    b.skipped++;
  }

  private move(id: string): boolean {
    if (this.cycles.phase(id, 'burst')) return this.cycles.step(id, 'burst') !== undefined;
    const a = this.sim.rec(id);
    if (!a || !this.cycles.canStart(a)) return false;
    this.cycles.ring(a, 'burst', `139${this.rnd.digits(8)}`, '10086');
    return true;
  }

  private agentsOf(req: BurstRequest): string[] {
    if (Array.isArray(req.agents)) {
      if (req.agents.length === 0) throw new SimError('agents: expected at least one agent ID');
      for (const id of req.agents) {
        if (typeof id !== 'string' || !this.sim.rec(id))
          throw new SimError(`agents: unknown agent ${JSON.stringify(id)}`, 404);
      }
      return [...req.agents];
    }
    const n = req.agents;
    const vdn = req.vdn ?? 1;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 1)
      throw new SimError(`agents: expected a count >= 1 or a list of agent IDs (got ${JSON.stringify(n)})`);
    if (typeof vdn !== 'number' || !Number.isInteger(vdn)) throw new SimError('vdn: expected a VDN number');
    const ids = this.sim
      .agentsInVdn(vdn)
      .filter((a) => !a.inspector)
      .map((a) => a.id);
    if (ids.length < n)
      throw new SimError(`agents: VDN ${vdn} has only ${ids.length} agents (asked for ${n})`);
    return ids.slice(0, n);
  }
}

function checkBurst(req: BurstRequest): { changesPerSecond: number; seconds: number; seed: number } {
  const num = (v: unknown, name: string, min: number, max: number) => {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max)
      throw new SimError(`${name}: expected a number from ${min} to ${max} (got ${JSON.stringify(v)})`);
    return v;
  };
  const seed = req.seed ?? 1;
  if (!Number.isInteger(seed)) throw new SimError('seed: expected an integer');
  return {
    changesPerSecond: num(req.changesPerSecond, 'changesPerSecond', 0.01, 10_000),
    seconds: num(req.seconds, 'seconds', 0, 86_400),
    seed: num(seed, 'seed', 0, 4_294_967_295),
  };
}
