import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FloorRedrawScheduler, type Redraw } from '../../src/qc/floor-redraw';

interface Change {
  at: number;
  workspace: string;
  message: string;
}
interface Drawn extends Redraw<number> {
  at: number;
}

/**
 * Drives a scheduler on a fake clock: applies each change at its time, calls `take()` whenever it is due
 * (as a timer would), and `failing(draw)` may answer a draw with a 429 Retry-After (ms). Returns the draws.
 */
function run(
  changes: Change[],
  failing: (d: Drawn, i: number) => number | undefined = () => undefined,
  until = Number.POSITIVE_INFINITY,
): {
  draws: Drawn[];
  limited: Array<{ workspace: string; from: number; to: number }>;
  sched: FloorRedrawScheduler<number>;
} {
  let now = 0;
  const sched = new FloorRedrawScheduler<number>({ now: () => now });
  const sorted = [...changes].sort((a, b) => a.at - b.at);
  const draws: Drawn[] = [];
  const limited: Array<{ workspace: string; from: number; to: number }> = [];
  let seq = 0;
  let i = 0;
  for (let steps = 0; steps < 100_000; steps++) {
    const due = sched.nextDueAt();
    const nextChange = sorted[i]?.at;
    const next = Math.min(
      nextChange ?? Number.POSITIVE_INFINITY,
      due === undefined ? Number.POSITIVE_INFINITY : Math.max(due, now),
    );
    if (next === Number.POSITIVE_INFINITY || next > until) break;
    now = next;
    while (i < sorted.length && (sorted[i] as Change).at <= now) {
      const c = sorted[i++] as Change;
      sched.change(c.workspace, c.message, ++seq);
    }
    for (const d of sched.take()) {
      const drawn = { ...d, at: now };
      const retry = failing(drawn, draws.length);
      draws.push(drawn);
      if (retry !== undefined) {
        sched.failed(d, retry);
        limited.push({ workspace: d.workspace, from: now, to: now + retry });
      }
    }
  }
  return { draws, limited, sched };
}

/** The state each message last changed to (the sequence number given in `run`). */
function lastStates(changes: Change[]): Map<string, number> {
  const last = new Map<string, number>();
  [...changes]
    .map((c, i) => ({ ...c, i }))
    .sort((a, b) => a.at - b.at || a.i - b.i)
    .forEach((c, n) => {
      last.set(`${c.workspace}/${c.message}`, n + 1);
    });
  return last;
}

function checkLimits(draws: Drawn[]): void {
  const byMessage = new Map<string, number[]>();
  const byWorkspace = new Map<string, number[]>();
  for (const d of draws) {
    byMessage.set(`${d.workspace}/${d.message}`, [
      ...(byMessage.get(`${d.workspace}/${d.message}`) ?? []),
      d.at,
    ]);
    byWorkspace.set(d.workspace, [...(byWorkspace.get(d.workspace) ?? []), d.at]);
  }
  for (const times of byMessage.values())
    for (let k = 1; k < times.length; k++)
      expect((times[k] as number) - (times[k - 1] as number)).toBeGreaterThanOrEqual(3_000);
  for (const times of byWorkspace.values())
    for (const t of times)
      expect(times.filter((x) => x >= t && x < t + 60_000).length).toBeLessThanOrEqual(50);
}

const arbChanges = fc
  .tuple(fc.integer({ min: 1, max: 120 }), fc.integer({ min: 1, max: 3 }))
  .chain(([messages, workspaces]) =>
    fc.array(
      fc.record({
        at: fc.integer({ min: 0, max: 180_000 }),
        workspace: fc.integer({ min: 1, max: workspaces }).map((w) => `T${w}`),
        message: fc.integer({ min: 1, max: messages }).map((m) => `m${m}`),
      }),
      { maxLength: 600 },
    ),
  );

describe('floor redraw scheduler (fake clock)', () => {
  it('property: gaps ≥ 3 s per message, ≤ 50 per minute per workspace, every message ends on its latest state', () => {
    fc.assert(
      fc.property(arbChanges, (changes) => {
        const { draws, sched } = run(changes);
        checkLimits(draws);
        const lastDrawn = new Map<string, number>();
        for (const d of draws) lastDrawn.set(`${d.workspace}/${d.message}`, d.state);
        expect(lastDrawn).toEqual(lastStates(changes));
        expect(sched.pendingCount()).toBe(0);
      }),
      { numRuns: 60 },
    );
  });

  it('property: a Retry-After pauses the workspace; the failed state is still drawn (or a newer one)', () => {
    fc.assert(
      fc.property(
        arbChanges,
        fc.integer({ min: 1, max: 30_000 }),
        fc.integer({ min: 2, max: 9 }),
        (changes, retry, every) => {
          const { draws, limited } = run(changes, (_d, i) => (i % every === 1 ? retry : undefined));
          checkLimits(draws);
          for (const l of limited)
            expect(draws.filter((d) => d.workspace === l.workspace && d.at > l.from && d.at < l.to)).toEqual(
              [],
            );
          const lastOk = new Map<string, number>();
          draws.forEach((d, i) => {
            if (i % every !== 1) lastOk.set(`${d.workspace}/${d.message}`, d.state);
          });
          expect(lastOk).toEqual(lastStates(changes));
        },
      ),
      { numRuns: 40 },
    );
  });

  it('a burst of 100 changes to one message is one redraw with the latest state', () => {
    const burst = Array.from({ length: 100 }, (_, i) => ({
      at: 10_000 + i * 10,
      workspace: 'T1',
      message: 'm1',
    }));
    const { draws } = run([{ at: 0, workspace: 'T1', message: 'm1' }, ...burst]);
    // The first change draws at once; the whole burst (within 1 s) becomes one draw 3 s later.
    expect(draws.map((d) => [d.at, d.state])).toEqual([
      [0, 1],
      [10_000, 2],
      [13_000, 101],
    ]);
  });

  it('waits 3 s after the message was posted', () => {
    let now = 1_000;
    const sched = new FloorRedrawScheduler<string>({ now: () => now });
    sched.opened('T1', 'm1');
    sched.change('T1', 'm1', 'a');
    expect(sched.take()).toEqual([]);
    expect(sched.nextDueAt()).toBe(4_000);
    now = 4_000;
    expect(sched.take().map((d) => d.state)).toEqual(['a']);
  });

  it('many open floors: each is drawn less often, fairly (least recently drawn first)', () => {
    const changes: Change[] = [];
    for (let t = 0; t < 300_000; t += 500)
      for (let m = 1; m <= 100; m++) changes.push({ at: t, workspace: 'T1', message: `m${m}` });
    const { draws } = run(changes, undefined, 300_000);
    checkLimits(draws);
    const counts = new Map<string, number>();
    for (const d of draws) counts.set(d.message, (counts.get(d.message) ?? 0) + 1);
    expect(counts.size).toBe(100);
    expect(Math.max(...counts.values()) - Math.min(...counts.values())).toBeLessThanOrEqual(1);
    expect(draws.length).toBeGreaterThanOrEqual(250); // 50 a minute for 5 minutes, minus the edges
  });

  it('workspaces do not share a budget; a closed message is never drawn', () => {
    let now = 0;
    const sched = new FloorRedrawScheduler<number>({ now: () => now });
    for (let m = 0; m < 60; m++) {
      sched.change('T1', `m${m}`, m);
      sched.change('T2', `m${m}`, m);
    }
    sched.close('T1', 'm0');
    const first = sched.take();
    expect(first.filter((d) => d.workspace === 'T1')).toHaveLength(50);
    expect(first.filter((d) => d.workspace === 'T2')).toHaveLength(50);
    expect(first.some((d) => d.workspace === 'T1' && d.message === 'm0')).toBe(false);
    expect(sched.nextDueAt()).toBe(60_000);
    now = 60_000;
    expect(sched.take()).toHaveLength(9 + 10);
    expect(sched.pendingCount()).toBe(0);
    sched.change('T1', 'm0', 99); // an event after the close
    expect(sched.pendingCount()).toBe(0);
    sched.opened('T1', 'm0'); // Refresh
    sched.change('T1', 'm0', 100);
    now = 63_000;
    expect(sched.take()).toEqual([{ workspace: 'T1', message: 'm0', state: 100, version: 2 }]);
  });
});
