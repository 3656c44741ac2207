/**
 * Things due at a clock time (traffic, bursts, a phone answered after N seconds), run in time order by
 * `Simulator.tick()`. With a FakeClock, `Simulator.advance(ms)` stops at each due time so that events carry
 * the time they happened at; with the real clock the server runs due entries every 100 ms.
 */
interface Entry {
  at: number;
  seq: number;
  run: () => void;
}

export class Timeline {
  private entries: Entry[] = [];
  private seq = 0;

  /** Runs `run` once the clock reaches `at` (entries due at the same time run in the order they were added). */
  at(at: number, run: () => void): void {
    const e = { at, seq: ++this.seq, run };
    let i = this.entries.length;
    while (i > 0 && (this.entries[i - 1] as Entry).at > at) i--;
    this.entries.splice(i, 0, e);
  }

  /** The earliest due time, or undefined when nothing is scheduled. */
  next(): number | undefined {
    return this.entries[0]?.at;
  }

  /** Runs every entry due at `now` or earlier, including ones that running entries schedule for `now`. */
  runDue(now: number): number {
    let n = 0;
    for (let e = this.entries[0]; e && e.at <= now; e = this.entries[0]) {
      this.entries.shift();
      e.run();
      n++;
    }
    return n;
  }

  get size(): number {
    return this.entries.length;
  }

  clear(): void {
    this.entries = [];
  }
}
