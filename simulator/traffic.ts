/**
 * Traffic: customer calls that start and end on their own, on the simulator's clock. Calls arrive at
 * random (exponential gaps, `callsPerMinute` on average) at a random idle agent; each rings for about
 * `ringSeconds`, lasts `meanTalkSeconds` on average (exponential, at least 1 s), then the agent wraps up
 * for `wrapUpSeconds` and goes idle. Caller numbers and every choice come from a seeded generator: the same
 * seed, scenario and clock steps give the same calls. Turning traffic off stops new calls; calls in progress
 * end as planned.
 */
import type { CallCycles } from './call-cycle';
import { SimError } from './errors';
import type { Simulator } from './model';
import { SeededRandom } from './random';

export interface TrafficSettings {
  /** Mean arrival rate over all agents (default 10). */
  callsPerMinute: number;
  /** Mean talk time (default 60). */
  meanTalkSeconds: number;
  /** Ringing time, ± 50 % (default 4). */
  ringSeconds: number;
  /** Wrap-up after the customer hangs up (default 10). */
  wrapUpSeconds: number;
  /** Seed of the generator (default 1). */
  seed: number;
}

export interface TrafficStatus extends TrafficSettings {
  on: boolean;
  /** Calls started since traffic was (re)started. */
  started: number;
  /** Arrivals that found no idle agent (not offered to anyone). */
  missed: number;
}

export const DEFAULT_TRAFFIC: TrafficSettings = {
  callsPerMinute: 10,
  meanTalkSeconds: 60,
  ringSeconds: 4,
  wrapUpSeconds: 10,
  seed: 1,
};

const LIMITS: Record<keyof TrafficSettings, [number, number]> = {
  callsPerMinute: [0.01, 60_000],
  meanTalkSeconds: [1, 86_400],
  ringSeconds: [0, 600],
  wrapUpSeconds: [0, 3_600],
  seed: [0, 4_294_967_295],
};

export class Traffic {
  private settings: TrafficSettings = { ...DEFAULT_TRAFFIC };
  private on = false;
  private gen = 0;
  private rnd = new SeededRandom(DEFAULT_TRAFFIC.seed);
  private started = 0;
  private missed = 0;

  constructor(
    private readonly sim: Simulator,
    private readonly cycles: CallCycles,
  ) {}

  /** Turns traffic on/off and/or changes its settings; (re)starting re-seeds the generator. */
  set(change: Partial<TrafficSettings> & { on?: boolean }): TrafficStatus {
    const next = { ...this.settings, ...checkTraffic(change) };
    const on = change.on ?? this.on;
    this.settings = next;
    this.on = on;
    this.restart();
    return this.status();
  }

  status(): TrafficStatus {
    return { on: this.on, ...this.settings, started: this.started, missed: this.missed };
  }

  /** After `Simulator.reset()`: the same settings, a fresh generator, new arrivals if on. */
  restart(): void {
    this.gen++;
    this.rnd = new SeededRandom(this.settings.seed);
    this.started = 0;
    this.missed = 0;
    if (this.on) this.scheduleArrival();
  }

  private scheduleArrival(): void {
    const gen = this.gen;
    const gap = Math.max(1, Math.round(this.rnd.exponential(60_000 / this.settings.callsPerMinute)));
    this.sim.timeline.at(this.sim.now() + gap, () => {
      if (gen !== this.gen) return;
      this.arrive();
      this.scheduleArrival();
    });
  }

  private arrive(): void {
    const idle = this.sim.recs().filter((a) => this.cycles.canStart(a));
    if (idle.length === 0) {
      this.missed++;
      return;
    }
    const a = this.rnd.pick(idle);
    this.cycles.ring(a, 'traffic', `138${this.rnd.digits(8)}`, '10086');
    this.started++;
    const s = this.settings;
    this.later(a.id, s.ringSeconds * 1_000 * (0.5 + this.rnd.next()));
  }

  /** Takes the agent's next step after `ms`, then plans the one after it. */
  private later(agentId: string, ms: number): void {
    this.sim.timeline.at(this.sim.now() + Math.round(ms), () => {
      const reached = this.cycles.step(agentId, 'traffic');
      const s = this.settings;
      if (reached === 'talking')
        this.later(agentId, Math.max(1_000, this.rnd.exponential(s.meanTalkSeconds * 1_000)));
      else if (reached === 'wrap-up') this.later(agentId, s.wrapUpSeconds * 1_000);
    });
  }
}

/** Checks a (partial) settings object from JSON or code; SimError names the bad field. */
export function checkTraffic(v: Record<string, unknown>): Partial<TrafficSettings> {
  const out: Partial<TrafficSettings> = {};
  for (const key of Object.keys(LIMITS) as (keyof TrafficSettings)[]) {
    const x = v[key];
    if (x === undefined) continue;
    const [min, max] = LIMITS[key];
    if (
      typeof x !== 'number' ||
      !Number.isFinite(x) ||
      x < min ||
      x > max ||
      (key === 'seed' && !Number.isInteger(x))
    )
      throw new SimError(
        `${key}: expected a number from ${min} to ${max}${key === 'seed' ? ' (an integer)' : ''} (got ${JSON.stringify(x)})`,
      );
    out[key] = x;
  }
  if (v.on !== undefined && typeof v.on !== 'boolean') throw new SimError('on: expected true or false');
  return out;
}
