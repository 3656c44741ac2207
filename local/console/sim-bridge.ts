/**
 * The call-centre panel's side of the bridge: customer calls and faults go straight to the in-process
 * simulator (stack.sim.sim), and its snapshot is watched (every 250 ms while a page listens) and sent
 * over SSE when something a person would see changed.
 */
import {
  type Fault,
  LOG_NAMES,
  type LogName,
  QC_LOG_NAMES,
  SimError,
  type Simulator,
  type TrafficSettings,
  type TrafficStatus,
} from '../../simulator/index';
import { BadInput } from './input';

/** The gateway's QC interfaces (what `/qc listen|insert|whisper|stop|switch|intercept|force-*` calls). */
export const QC_INTERFACES: readonly LogName[] = QC_LOG_NAMES;

export const FAULT_PRESETS = ['down', '900-003', 'slow'] as const;
export type FaultPreset = (typeof FAULT_PRESETS)[number];

/** What each preset does, in words (the page shows it next to the select). */
export const FAULT_PRESET_NOTES: Record<FaultPreset, string> = {
  down: 'Gateway down: QC requests and sign-ins get their connection reset. Event polls of signed-in inspectors still work, so sessions survive and everything recovers on Clear.',
  '900-003':
    'QC requests answer retcode 900-003 (CTI platform resource unavailable). Sign-in and event polls work.',
  slow: 'QC requests answer after 2 s (sign-in, whose timeout is 2 s, is spared).',
};

/**
 * The simulator faults of a preset, until cleared. `iface` narrows it to one gateway interface. The
 * presets spare the event polls (getAgentEvent, handShake, updateGuid): faulting them would let the
 * simulator time signed-in inspectors out, and sign-in would be needed again after Clear.
 */
export function presetFaults(kind: FaultPreset, iface?: LogName): Fault[] {
  const forever = Number.POSITIVE_INFINITY;
  const targets = (base: readonly LogName[]) => (iface ? [iface] : base);
  switch (kind) {
    case 'down':
      return targets([...QC_INTERFACES, 'login', 'forceLogin']).map((i) => ({
        interface: i,
        kind: 'reset',
        count: forever,
      }));
    case '900-003':
      return targets(QC_INTERFACES).map((i) => ({
        interface: i,
        kind: 'retcode',
        retcode: '900-003',
        count: forever,
      }));
    case 'slow':
      return targets(QC_INTERFACES).map((i) => ({
        interface: i,
        kind: 'latency',
        ms: 2_000,
        count: forever,
      }));
  }
}

export function parseInterface(v: string | undefined): LogName | undefined {
  if (v === undefined) return undefined;
  if (!(LOG_NAMES as readonly string[]).includes(v))
    throw new BadInput(
      `interface: expected a gateway log name such as intercept or addSupervise (got ${JSON.stringify(v)})`,
    );
  return v as LogName;
}

/** Runs a simulator control call; its SimErrors become 400/404 with the simulator's words. */
export function simCall<T>(sim: Simulator | undefined, fn: (sim: Simulator) => T): T {
  if (!sim) throw new BadInput('no simulator: this stack talks to a real gateway (CCGW_BASE_URL)', 404);
  try {
    return fn(sim);
  } catch (err) {
    if (err instanceof SimError) throw new BadInput(err.message, err.status);
    throw err;
  }
}

const WATCH_MS = 250;

/** What the page gets of the simulator: its snapshot and the traffic switch (`/sim/traffic`). */
export type SimView = ReturnType<Simulator['snapshot']> & { traffic: TrafficStatus };

export function simView(sim: Simulator): SimView {
  return { ...sim.snapshot(), traffic: sim.traffic.status() };
}

/** What a person sees of the view (no clock, counters or queue lengths). */
function digest(view: SimView): string {
  const { on, callsPerMinute, meanTalkSeconds } = view.traffic;
  return JSON.stringify({
    agents: view.agents.map(({ queuedEvents: _q, ...a }) => a),
    calls: view.calls,
    faults: view.faults,
    traffic: { on, callsPerMinute, meanTalkSeconds },
  });
}

/** The panel's traffic switch: on/off and calls a minute, checked by the simulator (its words in a 400). */
export function setTraffic(sim: Simulator | undefined, body: Record<string, unknown>): TrafficStatus {
  const change: Partial<TrafficSettings> & { on?: boolean } = {};
  if (body.on !== undefined) {
    if (typeof body.on !== 'boolean') throw new BadInput('on: expected true or false');
    change.on = body.on;
  }
  if (body.callsPerMinute !== undefined) change.callsPerMinute = body.callsPerMinute as number;
  return simCall(sim, (s) => s.traffic.set(change));
}

/** Calls `onChange(snapshot)` at most every 250 ms while `active()` says a page is listening. */
export class SimWatcher {
  private timer: NodeJS.Timeout | undefined;
  private last = '';

  constructor(
    private readonly sim: Simulator | undefined,
    private readonly active: () => boolean,
    private readonly onChange: (view: SimView) => void,
  ) {}

  /** Starts watching (idempotent); stops by itself once no page listens. */
  start(): void {
    if (!this.sim || this.timer) return;
    this.last = digest(simView(this.sim));
    this.timer = setInterval(() => this.check(), WATCH_MS).unref();
  }

  /** Looks now (after an action) instead of at the next tick. */
  check(): void {
    if (!this.sim) return;
    if (!this.active()) {
      this.stop();
      return;
    }
    const view = simView(this.sim);
    const d = digest(view);
    if (d === this.last) return;
    this.last = d;
    this.onChange(view);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
