/** Time source of the simulator. Every timestamp (eventGenTime, loginTime, Guid age, heartbeat) comes from it. */
export interface Clock {
  now(): number;
}

/** The wall clock. */
export const realClock: Clock = { now: () => Date.now() };

/** 2024-11-25T09:00:00Z — call IDs then look like the gateway's (`1732525200-17`). */
export const FAKE_CLOCK_START_MS = 1_732_525_200_000;

/** A clock that moves only when told to. Use `Simulator.advance(ms)` so that time-based effects run too. */
export class FakeClock implements Clock {
  private t: number;

  constructor(startMs: number = FAKE_CLOCK_START_MS) {
    this.t = checkTime(startMs, 'startMs');
  }

  now(): number {
    return this.t;
  }

  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0)
      throw new RangeError(`FakeClock.advance: ms must be a finite number >= 0 (got ${ms})`);
    this.t += ms;
  }

  set(ms: number): void {
    this.t = checkTime(ms, 'ms');
  }
}

/** True when the clock can be advanced (a FakeClock or anything shaped like one). */
export function isAdvanceable(clock: Clock): clock is Clock & { advance(ms: number): void } {
  return typeof (clock as { advance?: unknown }).advance === 'function';
}

function checkTime(ms: number, name: string): number {
  if (!Number.isFinite(ms)) throw new RangeError(`FakeClock: ${name} must be a finite number (got ${ms})`);
  return ms;
}
