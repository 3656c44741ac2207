import { randomBytes } from 'node:crypto';
import { GuidRegistry } from './auth';
import { Bursts } from './burst';
import { CallCycles } from './call-cycle';
import { isAdvanceable } from './clock';
import { SimError } from './errors';
import * as ev from './events';
import { type ActiveFault, type Fault, FaultSet } from './faults';
import { resolveConfig, type SimConfig, type SimProfile, type SimulatorOptions } from './options';
import { Phones } from './phone';
import { PushDelivery } from './push';
import { resolveScenario, type ScenarioSkill } from './scenario';
import { Timeline } from './timeline';
import { Traffic } from './traffic';
import {
  type AgentRec,
  type AgentStateCode,
  type AgentView,
  type CallRec,
  type CallView,
  type RequestLogEntry,
  type RestState,
  type Session,
  STATE_NAMES,
  type Waiter,
  type WaitResult,
} from './types';

const MAX_QUEUE = 1_000;
const MAX_LOG = 100_000;
export const CALL_ID_RE = /^[0-9]{1,12}-[0-9]{1,9}$/;

/**
 * Why a session ends. 'logout' (self, voluntary) and 'kick' (forcelogin elsewhere) drop the session at
 * once; the others queue AgentOther_ShutdownService that the ended session can still read once.
 */
export type SignOutCause = 'logout' | 'kick' | 'forced' | 'timeout' | 'inspector' | 'push-failed';

export { SimError };

export interface StartCallOptions {
  caller?: string;
  called?: string;
  callId?: string;
}

export interface Snapshot {
  now: number;
  authMode: 1 | 2;
  profile: SimProfile;
  elbCookie: boolean;
  vdns: number[];
  /** The scenario's skill queues. */
  skills: ScenarioSkill[];
  agents: AgentView[];
  calls: CallView[];
  faults: ActiveFault[];
  connectionCount: number;
  requestCount: number;
}

/** The in-process fake CC-Gateway: agents, sessions, Guids, calls, QC relations, event queues. */
export class Simulator {
  readonly config: SimConfig;
  /** @internal */
  readonly guids: GuidRegistry;
  readonly faults = new FaultSet();
  /** Gateway requests (not /sim ones), oldest first. Never holds a Guid, password or service token. */
  readonly requestLog: RequestLogEntry[] = [];
  /** Accepted TCP (http) or TLS (https) connections. */
  connectionCount = 0;
  /** What is due at a clock time (traffic, bursts, phones answering later). */
  readonly timeline = new Timeline();
  /** How inspectors' phones answer after listen/insert/whisper (`/sim/phone`). */
  readonly phones = new Phones(this);
  private readonly cycles = new CallCycles(this);
  /** Calls that start and end on their own (`/sim/traffic`, `--traffic`). */
  readonly traffic = new Traffic(this, this.cycles);
  /** N state changes per second across M agents (`/sim/burst`). */
  readonly bursts = new Bursts(this, this.cycles);

  private readonly agents = new Map<string, AgentRec>();
  private readonly calls = new Map<string, CallRec>();
  private readonly endedSessions = new Set<Session>();
  /** beginmonitor relations: monitored agent → the agents watching it. */
  private readonly watchers = new Map<string, Set<string>>();
  /** `huaweielbsession` values the (simulated) load balancer has handed out (elbCookie). */
  private readonly elbCookies = new Set<string>();
  private readonly push: PushDelivery;
  private logSeq = 0;
  private callSeq = 0;
  private taskSeq = 5200;
  private sessionSeq = 0;
  private closed = false;

  constructor(options: SimulatorOptions = {}) {
    this.config = resolveConfig(options);
    this.guids = new GuidRegistry(this.config);
    this.push = new PushDelivery({
      now: () => this.now(),
      retryIntervalMs: this.config.pushRetryIntervalMs,
      failTotalMs: this.config.pushFailTotalMs,
      onGiveUp: (s) => {
        const a = this.agents.get(s.agentId);
        if (a && a.session === s) this.signOut(a, 'push-failed');
        else this.finishEnded(s);
      },
      onDrained: (s) => this.finishEnded(s),
    });
    this.load();
    if (options.traffic) this.traffic.set({ ...(options.traffic === true ? {} : options.traffic), on: true });
  }

  now(): number {
    return this.config.clock.now();
  }

  // ---------------------------------------------------------------- control surface (tests, /sim)

  /** The customer calls `agentId`: AgentEvent_Ringing then AgentEvent_Talking; returns the new call ID. */
  startCall(agentId: string, opts: StartCallOptions = {}): { callId: string } {
    const a = this.mustAgent(agentId);
    if (!a.session) throw new SimError(`agent ${agentId} is not signed in`);
    if (a.callId) throw new SimError(`agent ${agentId} is already on call ${a.callId}`);
    if (a.monitoring) throw new SimError(`agent ${agentId} is monitoring agent ${a.monitoring.target}`);
    if (opts.callId !== undefined && !CALL_ID_RE.test(opts.callId))
      throw new SimError(`callId must look like 1732510000-17 (got ${JSON.stringify(opts.callId)})`);
    for (const [k, v] of [
      ['caller', opts.caller],
      ['called', opts.called],
    ] as const) {
      if (v !== undefined && (typeof v !== 'string' || !/^[0-9+*#]{1,24}$/.test(v)))
        throw new SimError(`${k} must be a phone number of up to 24 digits (got ${JSON.stringify(v)})`);
    }
    const call = this.createCall(a, opts);
    this.emit(a, ev.ringing(call));
    this.emit(a, ev.talking(call, '0'));
    return { callId: call.id };
  }

  /** The customer hangs up the call of `agentId` (or the call an inspector intercepted from `agentId`). */
  endCall(agentId: string): void {
    const a = this.mustAgent(agentId);
    const call =
      (a.callId ? this.calls.get(a.callId) : undefined) ??
      [...this.calls.values()].find((c) => c.agentId === agentId);
    if (!call) throw new SimError(`agent ${agentId} is not on a call`);
    this.releaseCall(call, 'customer');
  }

  /** Picks up the ringing phone of an inspector who started listen/insert/whisper (see `phones`). */
  answerPhone(inspectorId: string): void {
    this.phones.answer(this.mustAgent(inspectorId));
  }

  injectFault(f: Fault): void {
    this.faults.add(f);
  }

  clearFaults(): void {
    this.faults.clear();
  }

  /**
   * FakeClock only: moves time forward and runs the time-based effects (Guid expiry, heartbeat, push, and
   * what the timeline has due). Stops at each due time on the way, so that events carry their own time.
   */
  advance(ms: number): void {
    const clock = this.config.clock;
    if (!isAdvanceable(clock))
      throw new SimError('advance() needs a FakeClock (SimulatorOptions.clock / --fake-clock)');
    if (!Number.isFinite(ms) || ms < 0)
      throw new RangeError(`advance: ms must be a finite number >= 0 (got ${ms})`);
    const end = this.now() + ms;
    for (let next = this.timeline.next(); next !== undefined && next <= end && !this.closed; ) {
      if (next > this.now()) clock.advance(next - this.now());
      this.tick();
      next = this.timeline.next();
    }
    clock.advance(end - this.now());
    this.tick();
  }

  /** Runs what the timeline has due now. The server calls it every 100 ms when the real clock is used. */
  runDue(): void {
    if (!this.closed) this.timeline.runDue(this.now());
  }

  /** Runs the time-based effects now. The server calls it every second when the real clock is used. */
  tick(): void {
    if (this.closed) return;
    this.timeline.runDue(this.now());
    const now = this.now();
    for (const a of this.agents.values()) {
      const s = a.session;
      if (s && !s.desktop && now - s.lastHeartbeat >= this.config.heartbeatTimeoutMs)
        this.signOut(a, 'timeout');
      if (a.session && a.restState === 8 && a.restUntil !== undefined && now >= a.restUntil) {
        a.restUntil = undefined;
        this.emit(a, ev.restTimeout());
      }
    }
    this.push.tick(now);
    this.guids.prune(now);
    const keep = Math.max(this.config.heartbeatTimeoutMs, this.config.guidTimeoutMs);
    for (const s of [...this.endedSessions]) if (now - (s.endedAt ?? now) >= keep) this.finishEnded(s);
  }

  /** JSON-able state: agents, calls, faults. No Guids, no passwords, no service tokens. */
  snapshot(): Snapshot {
    return {
      now: this.now(),
      authMode: this.config.authMode,
      profile: this.config.profile,
      elbCookie: this.config.elbCookie,
      vdns: [...this.config.scenario.vdns],
      skills: (this.config.scenario.skills ?? []).map((k) => ({ ...k })),
      agents: [...this.agents.values()].map((a) => this.view(a)),
      calls: [...this.calls.values()].map((c) => ({
        callId: c.id,
        owner: c.owner,
        agentId: c.agentId,
        caller: c.caller,
        called: c.called,
        vdn: c.vdn,
        startedAt: c.startedAt,
        ...(c.answeredAt !== undefined ? { answeredAt: c.answeredAt } : {}),
        intercepted: c.intercepted,
      })),
      faults: this.faults.list(),
      connectionCount: this.connectionCount,
      requestCount: this.logSeq,
    };
  }

  /** Back to the scenario: sessions, calls, relations, faults and the request log are reset. */
  reset(): void {
    for (const a of this.agents.values()) if (a.session) this.wakeAll(a.session, 'gone');
    for (const s of this.endedSessions) this.wakeAll(s, 'gone');
    this.agents.clear();
    this.calls.clear();
    this.endedSessions.clear();
    this.watchers.clear();
    this.elbCookies.clear();
    this.guids.clear();
    this.push.clear();
    this.faults.clear();
    this.requestLog.length = 0;
    this.timeline.clear();
    this.cycles.clear();
    this.bursts.clear();
    this.phones.clear();
    this.load();
    this.traffic.restart();
  }

  agent(id: string): AgentView | undefined {
    const a = this.agents.get(id);
    return a ? this.view(a) : undefined;
  }

  /** For tests only: the newest Guid of the agent's active session. */
  currentGuid(agentId: string): string | undefined {
    return this.agents.get(agentId)?.session?.currentGuid;
  }

  /** For tests: events queued (not yet polled/pushed) for the agent's current or last session. */
  peekEvents(agentId: string): ev.GatewayEvent[] {
    const a = this.agents.get(agentId);
    return [...((a?.session ?? a?.lastSession)?.queue ?? [])];
  }

  /** For tests: removes and returns the queued events (as if polled). */
  takeEvents(agentId: string): ev.GatewayEvent[] {
    const a = this.agents.get(agentId);
    const s = a?.session ?? a?.lastSession;
    if (!s) return [];
    const out = s.queue;
    s.queue = [];
    if (s.ended) this.finishEnded(s);
    return out;
  }

  /** Resolves once no push delivery is scheduled or in flight. */
  settled(): Promise<void> {
    return this.push.settled();
  }

  /** Entries with seq >= since. */
  requestsSince(since = 0): RequestLogEntry[] {
    return this.requestLog.filter((e) => e.seq >= since);
  }

  // ---------------------------------------------------------------- used by the gateway operations

  /** @internal */
  logRequest(entry: Omit<RequestLogEntry, 'seq'>): RequestLogEntry {
    const e = { seq: this.logSeq++, ...entry };
    this.requestLog.push(e);
    if (this.requestLog.length > MAX_LOG) this.requestLog.splice(0, this.requestLog.length - MAX_LOG / 2);
    return e;
  }

  /** @internal */
  rec(id: string): AgentRec | undefined {
    return this.agents.get(id);
  }

  /** @internal The name of a skill queue of the scenario. */
  skillName(id: number): string | undefined {
    return this.config.scenario.skills?.find((s) => s.id === id)?.name;
  }

  /** @internal Every agent and inspector, in scenario order. */
  recs(): AgentRec[] {
    return [...this.agents.values()];
  }

  /** @internal Every agent of a VDN, by ascending ID. */
  agentsInVdn(vdn: number): AgentRec[] {
    return [...this.agents.values()].filter((a) => a.vdn === vdn).sort((x, y) => Number(x.id) - Number(y.id));
  }

  /** @internal */
  call(id: string): CallRec | undefined {
    return this.calls.get(id);
  }

  /** @internal T1 state. */
  stateOf(a: AgentRec): AgentStateCode {
    if (!a.session) return 2;
    if (a.callId || a.monitoring) return 7;
    return a.restState;
  }

  /** @internal On a customer call that has been answered (not ringing). */
  onAnsweredCall(a: AgentRec): boolean {
    return a.callId !== undefined && this.calls.get(a.callId)?.answeredAt !== undefined;
  }

  /** @internal Traffic: a customer call rings at the agent (AgentEvent_Ringing) until `answerCall`. */
  ringCall(a: AgentRec, opts: StartCallOptions): CallRec {
    const call = this.createCall(a, opts);
    call.answeredAt = undefined;
    this.emit(a, ev.ringing(call));
    return call;
  }

  /** @internal Traffic: the agent answers the ringing call (AgentEvent_Talking). */
  answerCall(call: CallRec): void {
    call.answeredAt = this.now();
    this.emit(call.owner, ev.talking(call, '0'));
  }

  /** @internal Signed in, idle, not monitoring, not on a call. */
  isIdle(a: AgentRec): boolean {
    return a.session !== undefined && a.restState === 4 && !a.callId && !a.monitoring;
  }

  /** @internal */
  monitorsOf(targetId: string): AgentRec[] {
    return [...this.agents.values()].filter((a) => a.monitoring?.target === targetId);
  }

  /** @internal */
  nextTaskId(): number {
    return ++this.taskSeq;
  }

  /** @internal Changes the profile at run time (`POST /sim/profile`). */
  setProfile(p: { profile?: SimProfile; elbCookie?: boolean; pollHoldMs?: number }): void {
    if (p.profile !== undefined) this.config.profile = p.profile;
    if (p.elbCookie !== undefined) this.config.elbCookie = p.elbCookie;
    if (p.pollHoldMs !== undefined) this.config.pollHoldMs = p.pollHoldMs;
  }

  /** @internal elbCookie: a new `huaweielbsession` value (the load balancer picked this node). */
  issueElbCookie(): string {
    const v = randomBytes(16).toString('hex');
    this.elbCookies.add(v);
    return v;
  }

  /** @internal elbCookie: does this `huaweielbsession` value lead to this node? */
  knowsElbCookie(v: string | undefined): boolean {
    return v !== undefined && this.elbCookies.has(v);
  }

  /** @internal beginmonitor: `monitor` hears QC_AgentState_Notify for each target. */
  watch(monitor: AgentRec, targets: string[]): void {
    monitor.watching ??= new Set();
    for (const t of targets) {
      monitor.watching.add(t);
      const set = this.watchers.get(t) ?? new Set<string>();
      set.add(monitor.id);
      this.watchers.set(t, set);
    }
  }

  /** @internal endmonitor (all targets when `targets` is undefined). */
  unwatch(monitor: AgentRec, targets?: string[]): void {
    for (const t of targets ?? [...(monitor.watching ?? [])]) {
      monitor.watching?.delete(t);
      const set = this.watchers.get(t);
      set?.delete(monitor.id);
      if (set?.size === 0) this.watchers.delete(t);
    }
  }

  /** @internal QC_AgentState_Notify to every agent watching `targetId`. */
  notifyWatchers(targetId: string, subtype: string): void {
    for (const m of this.watchers.get(targetId) ?? []) this.emit(m, ev.qcAgentStateNotify(subtype, targetId));
  }

  /** @internal Queue an event to the agent's active session (dropped when signed out). */
  emit(agent: AgentRec | string, spec: ev.EventSpec): void {
    const a = typeof agent === 'string' ? this.agents.get(agent) : agent;
    const s = a?.session;
    if (!s) return;
    const subtype = ev.NOTIFY_SUBTYPE[spec.eventType];
    if (subtype) this.notifyWatchers(s.agentId, subtype);
    const event = ev.stamp(spec, s.agentId, this.now());
    if (s.mode === 'push') {
      this.pushQueue(s, event);
      this.push.schedule(s);
      return;
    }
    const w = s.queue.length === 0 ? s.waiters.shift() : undefined;
    if (w) w.resolve(event);
    else this.pushQueue(s, event);
  }

  /** @internal Sign-in: a new session with its first Guid and the sign-in events. */
  openSession(
    agent: AgentRec,
    opts: {
      status?: RestState;
      callBackUri?: string;
      serviceToken?: string;
      desktop?: boolean;
      silent?: boolean;
    } = {},
  ): Session {
    const now = this.now();
    const s: Session = {
      seq: ++this.sessionSeq,
      agentId: agent.id,
      loginTime: now,
      mode: 'poll',
      desktop: opts.desktop ?? false,
      currentGuid: '',
      guids: new Set(),
      lastHeartbeat: now,
      ended: false,
      queue: [],
      waiters: [],
    };
    if (opts.callBackUri && opts.serviceToken) {
      s.mode = 'push';
      s.callBackUri = opts.callBackUri;
      s.serviceToken = opts.serviceToken;
      this.push.add(s);
    }
    this.guids.issue(s, now);
    agent.session = s;
    agent.lastSession = s;
    agent.restState = opts.status ?? 4;
    if (!opts.silent) {
      this.emit(agent, ev.inService());
      this.emit(agent, ev.ready());
      if (agent.restState === 3) this.emit(agent, ev.setNotReadySuccess('1'));
      if (agent.restState === 5) this.emit(agent, ev.work());
    }
    return s;
  }

  /** @internal Ends the agent's session: QC relations end, its call is released, events as per cause. */
  signOut(agent: AgentRec, cause: SignOutCause): void {
    const s = agent.session;
    if (!s) return;
    if (agent.monitoring) this.stopMonitoring(agent, { inspector: 'release', targetStop: true });
    const call = agent.callId ? this.calls.get(agent.callId) : undefined;
    if (call) this.releaseCall(call, 'signout');
    if (cause === 'forced' || cause === 'timeout' || cause === 'inspector')
      this.emit(agent, ev.shutdownService(s.loginTime));
    s.ended = true;
    s.endedAt = this.now();
    agent.session = undefined;
    agent.callId = undefined;
    agent.monitoring = undefined;
    agent.restState = 4;
    agent.restUntil = undefined;
    this.unwatch(agent);
    this.notifyWatchers(agent.id, 'Logout');
    if (cause === 'logout' || cause === 'kick' || cause === 'push-failed' || s.queue.length === 0) {
      this.finishEnded(s);
      return;
    }
    this.endedSessions.add(s);
    if (s.mode === 'push') this.push.schedule(s);
  }

  /** @internal The ended session has nothing left to read: forget its Guids. */
  finishEnded(s: Session): void {
    this.guids.revoke(s);
    this.endedSessions.delete(s);
    this.push.remove(s);
    s.queue = [];
    this.wakeAll(s, 'gone');
  }

  /** @internal Take the next event of a session (finishing an ended session once it is empty). */
  takeEvent(s: Session): ev.GatewayEvent | undefined {
    const e = s.queue.shift();
    if (s.ended && s.queue.length === 0) this.finishEnded(s);
    return e;
  }

  /** @internal Long-poll wait: an event as soon as one is queued, null after holdMs, 'gone' if the session ends. */
  waitForEvent(s: Session, holdMs: number, signal?: AbortSignal): Promise<WaitResult> {
    const first = this.takeEvent(s);
    if (first) return Promise.resolve(first);
    if (this.closed || s.ended) return Promise.resolve('gone');
    return new Promise<WaitResult>((resolve) => {
      let done = false;
      const finish = (r: WaitResult) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        const i = s.waiters.indexOf(waiter);
        if (i >= 0) s.waiters.splice(i, 1);
        resolve(r);
      };
      const waiter: Waiter = { resolve: finish };
      const onAbort = () => finish(null);
      const timer = setTimeout(() => finish(null), holdMs);
      signal?.addEventListener('abort', onAbort, { once: true });
      s.waiters.push(waiter);
    });
  }

  /** @internal Give a polled event back (the client went away before it was written). */
  requeueFront(s: Session, e: ev.GatewayEvent): void {
    if (s.ended && !this.endedSessions.has(s)) return;
    s.queue.unshift(e);
  }

  /** @internal Ends the inspector's monitoring relation. */
  stopMonitoring(
    inspector: AgentRec,
    opts: { inspector: 'release+ready' | 'release' | 'none'; targetStop: boolean },
  ): void {
    const m = inspector.monitoring;
    if (!m) return;
    inspector.monitoring = undefined;
    this.notifyWatchers(inspector.id, 'StopMonitor');
    if (opts.inspector !== 'none') this.emit(inspector, ev.phoneRelease());
    if (opts.inspector === 'release+ready') this.emit(inspector, ev.ready());
    // A phone that never answered never started the monitoring: the agent got no BeQcStart to stop.
    if (opts.targetStop && m.answered) this.emit(m.target, ev.beQcStop(m.mode, inspector.id));
  }

  /**
   * @internal Releases a call. 'customer' (hang-up, forcedropcall): the holder gets Customer_Release,
   * Call_Release, PhoneRelease, Ready. 'signout' (holder signing out): Call_Release, PhoneRelease.
   * Inspectors monitoring the holder get PhoneRelease + Ready; their relation ends. `wrapUp` (traffic):
   * the holder goes to wrap-up (AgentState_Work, state 5) instead of idle.
   */
  releaseCall(call: CallRec, cause: 'customer' | 'signout', opts: { wrapUp?: boolean } = {}): void {
    const holder = this.agents.get(call.owner);
    if (holder) {
      if (cause === 'customer') {
        this.emit(holder, ev.customerRelease(call));
        this.emit(holder, ev.callRelease(call.id));
        this.emit(holder, ev.phoneRelease());
        this.emit(holder, opts.wrapUp ? ev.work() : ev.ready());
        holder.restState = opts.wrapUp ? 5 : 4;
      } else {
        this.emit(holder, ev.callRelease(call.id));
        this.emit(holder, ev.phoneRelease());
      }
      holder.callId = undefined;
    }
    for (const insp of this.monitorsOf(call.owner))
      this.stopMonitoring(insp, { inspector: 'release+ready', targetStop: false });
    this.calls.delete(call.id);
  }

  /** @internal Close: wake held polls, stop push delivery. */
  async shutdown(): Promise<void> {
    this.closed = true;
    for (const a of this.agents.values()) if (a.session) this.wakeAll(a.session, 'gone');
    for (const s of this.endedSessions) this.wakeAll(s, 'gone');
    await this.push.close();
  }

  // ---------------------------------------------------------------- private

  private load(): void {
    for (const a of resolveScenario(this.config.scenario)) {
      const rec: AgentRec = {
        id: a.id,
        password: a.password,
        vdn: a.vdn,
        qc: a.qc,
        inspector: a.inspector,
        skills: [...a.skills],
        restState: 4,
      };
      if (a.phone !== undefined) rec.phone = a.phone;
      this.agents.set(a.id, rec);
      if (a.signedIn) this.openSession(rec, { desktop: true, silent: true });
      if (a.onCall) this.createCall(rec, a.onCall);
    }
  }

  private createCall(a: AgentRec, opts: StartCallOptions): CallRec {
    const now = this.now();
    const seq = ++this.callSeq;
    const id = opts.callId ?? `${Math.floor(now / 1000)}-${seq}`;
    if (this.calls.has(id)) throw new SimError(`call ${id} already exists`);
    const call: CallRec = {
      id,
      owner: a.id,
      agentId: a.id,
      caller: opts.caller ?? `1380000${String(seq % 10_000).padStart(4, '0')}`,
      called: opts.called ?? '10086',
      vdn: a.vdn,
      startedAt: now,
      answeredAt: now,
      intercepted: false,
    };
    this.calls.set(id, call);
    a.callId = id;
    return call;
  }

  private mustAgent(id: string): AgentRec {
    const a = this.agents.get(id);
    if (!a) throw new SimError(`unknown agent ${JSON.stringify(id)}`, 404);
    return a;
  }

  private pushQueue(s: Session, e: ev.GatewayEvent): void {
    s.queue.push(e);
    if (s.queue.length > MAX_QUEUE) s.queue.splice(0, s.queue.length - MAX_QUEUE);
  }

  private wakeAll(s: Session, r: WaitResult): void {
    for (const w of s.waiters.splice(0)) w.resolve(r);
  }

  private view(a: AgentRec): AgentView {
    const s = a.session;
    const state = this.stateOf(a);
    return {
      id: a.id,
      vdn: a.vdn,
      inspector: a.inspector,
      qc: a.qc,
      signedIn: s !== undefined,
      desktop: s?.desktop ?? false,
      state,
      stateName: STATE_NAMES[state],
      isWorking: a.callId !== undefined || a.monitoring !== undefined,
      mode: s?.mode ?? null,
      loginTime: s?.loginTime ?? null,
      callId: a.callId ?? null,
      monitoring: a.monitoring ? { target: a.monitoring.target, mode: a.monitoring.mode } : null,
      phone: a.monitoring ? (a.monitoring.answered ? 'offhook' : 'ringing') : null,
      monitoredBy: this.monitorsOf(a.id).map((i) => ({
        inspector: i.id,
        mode: i.monitoring?.mode ?? 'listen',
      })),
      skills: [...a.skills],
      queuedEvents: s?.queue.length ?? 0,
      watching: [...(a.watching ?? [])].sort((x, y) => Number(x) - Number(y)),
    };
  }
}
