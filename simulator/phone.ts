/**
 * The inspector's phone after listen/insert/whisper. The gateway calls it (AgentState_Busy,
 * AgentOther_PhoneAlerting) and, once it is picked up, sends AgentOther_PhoneOffhook to the inspector and
 * AgentOther_BeQcStart to the agent. By default the simulator picks up at once; `POST /sim/phone` makes a
 * phone answer after N ms of the simulator's clock, or never (then `POST /sim/phone/answer` picks it up).
 */
import { SimError } from './errors';
import * as ev from './events';
import type { Simulator } from './model';
import type { AgentRec, Monitoring } from './types';

/** How a phone answers: after this many ms of the simulator's clock (0 = at once), or null = never. */
export interface PhoneSetting {
  answerAfterMs: number | null;
}

export interface PhoneSettings {
  /** For every phone without its own setting. */
  default: PhoneSetting;
  /** Per inspector (agent ID). */
  agents: Record<string, PhoneSetting>;
}

const AT_ONCE: PhoneSetting = { answerAfterMs: 0 };

export class Phones {
  private fallback: PhoneSetting = AT_ONCE;
  private readonly byAgent = new Map<string, PhoneSetting>();

  constructor(private readonly sim: Simulator) {}

  /** Sets how the phone of `agentId` (every phone without its own setting when undefined) answers. */
  set(agentId: string | undefined, setting: PhoneSetting): PhoneSettings {
    const s = { answerAfterMs: checkAfter(setting.answerAfterMs) };
    if (agentId === undefined) this.fallback = s;
    else this.byAgent.set(agentId, s);
    return this.settings();
  }

  settings(): PhoneSettings {
    const agents = Object.fromEntries([...this.byAgent].sort(([x], [y]) => Number(x) - Number(y)));
    return { default: { ...this.fallback }, agents };
  }

  /** Back to "every phone answers at once". */
  clear(): void {
    this.fallback = AT_ONCE;
    this.byAgent.clear();
  }

  /** Listen/insert/whisper started: the phone rings and is answered as set. */
  ring(insp: AgentRec): void {
    const m = insp.monitoring;
    if (!m) return;
    this.sim.emit(insp, ev.phoneAlerting());
    const after = (this.byAgent.get(insp.id) ?? this.fallback).answerAfterMs;
    if (after === 0) this.pickUp(insp, m);
    else if (after !== null)
      this.sim.timeline.at(this.sim.now() + after, () => {
        if (insp.monitoring === m && !m.answered) this.pickUp(insp, m);
      });
  }

  /** Picks up a ringing phone now (`POST /sim/phone/answer`). */
  answer(insp: AgentRec): void {
    const m = insp.monitoring;
    if (!m || m.answered)
      throw new SimError(
        `the phone of ${insp.id} is not ringing (no listen, insert or whisper waiting for an answer)`,
      );
    this.pickUp(insp, m);
  }

  private pickUp(insp: AgentRec, m: Monitoring): void {
    m.answered = true;
    this.sim.emit(insp, ev.phoneOffhook());
    this.sim.emit(m.target, ev.beQcStart(m.mode, insp.id));
  }
}

function checkAfter(v: unknown): number | null {
  if (v === null) return null;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > 86_400_000)
    throw new SimError(`answerAfterMs: expected ms from 0 to 86400000, or null for never (got ${String(v)})`);
  return v;
}
