/**
 * Reading a floor message as a person does (the bench and the end-to-end test): the counts in its text,
 * and the state of every agent it lists; compared with the gateway's own answer (`allagentstatus`, the
 * simulator's truth) read the way qc-slack reads it.
 */
import type { StoredMessage } from '../local/slack-api/store';
import type { AgentStatusEntry } from '../src/gateway';
import { FLOOR_STATES, type FloorState, stateOfEntry } from '../src/qc/floor';

const LABELS: Record<string, FloorState> = {
  '📞 talking': 'talking',
  '🔔 ringing': 'ringing',
  '🟢 idle': 'idle',
  '⛔ busy': 'busy',
  '☕ rest': 'rest',
  '📝 wrap-up': 'wrap-up',
  '⚪ signed out': 'signed-out',
  '❔ unknown': 'unknown',
};

const sectionTexts = (blocks: unknown): string[] =>
  (Array.isArray(blocks) ? blocks : []).flatMap((b: { type?: string; text?: { text?: unknown } }) =>
    b?.type === 'section' && typeof b.text?.text === 'string' ? [b.text.text] : [],
  );

/** Agent → state, for every agent the message lists (call rows and compact groups). */
export function statesShown(message: Pick<StoredMessage, 'blocks'>): Map<string, FloorState> {
  const shown = new Map<string, FloorState>();
  for (const text of sectionTexts(message.blocks)) {
    const group = /^\*([^*]+)\*: (.*)$/s.exec(text);
    const groupState = group ? LABELS[group[1] as string] : undefined;
    if (group && groupState) {
      for (const token of (group[2] as string).split(', '))
        shown.set(token.split(' ')[0] as string, groupState);
      continue;
    }
    const row = /^\*([^*]+)\*[^·]* · (📞 talking|🔔 ringing)/.exec(text);
    if (row) shown.set(row[1] as string, LABELS[row[2] as string] as FloorState);
  }
  return shown;
}

/** "3 talking, 10 ringing, …" as the message's text says it (every state, 0 when absent). */
export function countsShown(message: Pick<StoredMessage, 'text'>): Record<FloorState, number> {
  const counts = Object.fromEntries(FLOOR_STATES.map((s) => [s, 0])) as Record<FloorState, number>;
  for (const m of (message.text ?? '').matchAll(/(\d+) ([a-z-]+)/g)) {
    const state = m[2] as FloorState;
    if (state in counts) counts[state] = Number(m[1]);
  }
  return counts;
}

/**
 * What differs between the message and the truth: agents shown with another state, and states whose
 * count differs. Empty when the message shows the true final states.
 */
export function floorDiff(
  message: Pick<StoredMessage, 'text' | 'blocks'>,
  truth: AgentStatusEntry[],
): string[] {
  const want = new Map(truth.map((e) => [e.workNo, stateOfEntry(e)]));
  const out: string[] = [];
  for (const [id, state] of statesShown(message))
    if (want.get(id) !== state) out.push(`${id}: shows ${state}, is ${want.get(id) ?? 'absent'}`);
  const counts = countsShown(message);
  for (const s of FLOOR_STATES) {
    const n = [...want.values()].filter((x) => x === s).length;
    if (counts[s] !== n) out.push(`${s}: shows ${counts[s]}, is ${n}`);
  }
  return out;
}

/** The largest number of `times` inside any window of `windowMs` (sorted or not). */
export function maxInWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  let from = 0;
  for (let i = 0; i < sorted.length; i++) {
    while ((sorted[i] as number) - (sorted[from] as number) >= windowMs) from++;
    best = Math.max(best, i - from + 1);
  }
  return best;
}
