/**
 * Live floors (issue 15 item 2). While the keeper holds an inspector's session loop, that inspector's open
 * floors stay live: every few seconds the floors are listed from the store; a live one (opened or refreshed
 * less than FLOOR_LIVE_MS ago, not paused) is loaded once per keeper run (one `allAgentStatus` read per
 * scope, monitors from qc-slack's records), its agents are subscribed with `beginmonitor` (at most 500 per
 * inspector), the inspector's events fold into it, and the process's one FloorRedrawScheduler says when each
 * surface is redrawn (3 s per message, ~50 a minute per workspace, Retry-After honoured). An expired floor
 * is drawn once more as paused (it offers Refresh) and its agents no other live floor needs are unsubscribed.
 * Pacing is per process: on Lambda each keeper container paces its own floors (Slack's 429s do the rest).
 */
import { errorSummary } from '../errors';
import { contentField, type GatewayEvent, type GatewayOutcome } from '../gateway';
import type { FloorRecord, SessionRecord } from '../store/types';
import { showHome } from './account-jobs';
import {
  FLOOR_LIVE_MS,
  type Floor,
  type FloorScope,
  type FloorView,
  foldEvents,
  withMonitors,
} from './floor';
import { floorMonitorRecords, readFloor } from './floor-read';
import { FloorRedrawScheduler, type Redraw, type RedrawPolicy } from './floor-redraw';
import { NotifierBusyError } from './notifier-busy';
import type { QcDeps, QcPolicy } from './ports';
import { gatewaySession } from './run-qc';
import { adoptSessionChanges } from './session-changes';

/**
 * Slack's limits with a margin for the calls' own latency (a draw reaches Slack a few ms after it is
 * taken): ≥ 3.25 s between two draws of a message; per workspace at most 5 in any 6.1 s, which is ≤ 50 in
 * any 61 s spread evenly, so the notifier's pacing (50 a minute, bursts of 8) never makes a draw wait
 * past its budget, and no minute's 50 are spent in its first seconds (floors would then stall for the rest).
 */
export const LIVE_REDRAW_POLICY: RedrawPolicy = { minGapMs: 3_250, perWindow: 5, windowMs: 6_100 };

/** `beginmonitor` takes at most this many agents per inspector. */
export const MAX_LIVE_AGENTS = 500;

/**
 * An event only the floors need: an agent's state notice (beginmonitor). The keeper folds it and does not
 * store it for the thread; a sign-out notice is still stored (it ends monitoring that agent).
 */
export const floorOnlyEvent = (event: GatewayEvent): boolean =>
  event.type === 'QC_AgentState_Notify' && contentField(event, 'subtype') !== 'QC_AgentState_Logout';

export type FloorLiveDeps = QcDeps & Partial<QcPolicy>;

export interface FloorLiveOptions {
  /** How often an inspector's floors are listed again (new floors, Refresh, pages, monitors). */
  refreshMs?: number;
  /** How long one redraw may wait for Slack's turn (then it is retried later). */
  drawBudgetMs?: number;
  /**
   * Draw on a timer when the scheduler says, and refresh each inspector's floors every `refreshMs`
   * (default); tests call `drawDue()` and `refresh()` themselves.
   */
  timers?: boolean;
  policy?: Partial<RedrawPolicy>;
}

/** What one redraw shows: the record (where) and the view (what), and whose floor it is. */
interface Draw {
  rec: FloorRecord;
  view: FloorView;
  owner: InspectorFloors;
}

const isHome = (rec: FloorRecord) => rec.floorId.startsWith('home:');
const scopeKey = (scope: FloorScope) =>
  scope.kind === 'skill' ? `skill:${scope.skillId}` : `vdn:${scope.vdnId ?? ''}`;
export const isLiveFloor = (rec: FloorRecord, now: number) =>
  rec.pausedAt === undefined && now < rec.openedAt + FLOOR_LIVE_MS;

const hubs = new WeakMap<object, FloorLiveHub>();

/** The process's one hub for these deps (the keeper's runs share it: pacing is per process). */
export function floorLiveFor(deps: FloorLiveDeps, opts: FloorLiveOptions = {}): FloorLiveHub {
  let hub = hubs.get(deps);
  if (!hub) {
    hub = new FloorLiveHub(deps, opts);
    hubs.set(deps, hub);
  }
  return hub;
}

/** One per keeper process: the redraw scheduler, and the drawing. */
export class FloorLiveHub {
  readonly scheduler: FloorRedrawScheduler<Draw>;
  readonly deps: FloorLiveDeps;
  readonly refreshMs: number;
  readonly #drawBudgetMs: number;
  readonly timers: boolean;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #timerAt = Number.POSITIVE_INFINITY;

  constructor(deps: FloorLiveDeps, opts: FloorLiveOptions = {}) {
    this.deps = deps;
    this.refreshMs = opts.refreshMs ?? 5_000;
    this.#drawBudgetMs = opts.drawBudgetMs ?? 5_000;
    this.timers = opts.timers ?? true;
    this.scheduler = new FloorRedrawScheduler<Draw>({
      now: deps.now,
      policy: { ...LIVE_REDRAW_POLICY, ...opts.policy },
    });
  }

  /**
   * Keep this inspector's floors live until `leave()` (the keeper's loop for the inspector). `adopted`
   * hears of a session changed by a floor call's answer (a rotated Guid, new cookies), already stored.
   */
  follow(session: () => SessionRecord, adopted?: (session: SessionRecord) => void): InspectorFloors {
    return new InspectorFloors(this, session, adopted);
  }

  /** The surface was drawn just now by someone else (the floor job, Refresh): the gap counts from now. */
  opened(rec: FloorRecord): void {
    this.scheduler.opened(rec.teamId, rec.floorId);
  }

  changed(owner: InspectorFloors, rec: FloorRecord, view: FloorView): void {
    this.scheduler.change(rec.teamId, rec.floorId, { rec, view, owner });
    this.#wake();
  }

  /** Draw what is due now (the timer calls it; tests too). */
  async drawDue(): Promise<void> {
    const due = this.scheduler.take();
    await Promise.all(due.map((d) => this.#draw(d)));
    this.#wake();
  }

  async #draw(d: Redraw<Draw>): Promise<void> {
    const { rec, owner } = d.state;
    try {
      // The page the user chose meanwhile (the page buttons write the record and draw it themselves).
      const current = await this.deps.store.floors.getFloor(rec.teamId, rec.floorId);
      if (!current) {
        this.scheduler.close(rec.teamId, rec.floorId);
        return;
      }
      const view = { ...d.state.view, page: current.page, now: this.deps.now() };
      const drawn = await this.#drawOne(rec, view);
      // The gap counts from when Slack took the draw (it may have waited its turn in the pacer).
      this.scheduler.opened(rec.teamId, rec.floorId);
      if (drawn === 'gone') {
        this.scheduler.close(rec.teamId, rec.floorId);
        await owner.gone(rec);
      } else if (view.paused) this.scheduler.close(rec.teamId, rec.floorId);
    } catch (err) {
      if (err instanceof NotifierBusyError) {
        this.scheduler.failed(d, Math.max(0, err.retryAt - this.deps.now()));
        return;
      }
      this.deps.logger.warn({ floor: rec.floorId, err: errorSummary(err) }, 'floor redraw failed; retrying');
      this.scheduler.failed(d);
    }
  }

  async #drawOne(rec: FloorRecord, view: FloorView): Promise<'updated' | 'gone'> {
    if (!isHome(rec) && rec.channel && rec.ts) {
      const deadline = this.deps.now() + this.#drawBudgetMs;
      return this.deps.notifier.updateFloor({ channel: rec.channel, ts: rec.ts }, view, deadline);
    }
    if (!isHome(rec)) return 'gone'; // a message floor without its channel and ts: nothing to redraw
    const { adminUserIds, defaultPermissions } = this.deps;
    if (!adminUserIds || !defaultPermissions) {
      // Deps without the policy (a test's keeper) cannot draw a Home tab; the record is kept.
      this.deps.logger.warn({ floor: rec.floorId }, 'Home floor not drawn: no permissions policy');
      return 'updated';
    }
    await showHome({ ...this.deps, adminUserIds, defaultPermissions }, rec.teamId, rec.userId, {
      floor: view,
    });
    return 'updated';
  }

  /** Set the timer for the scheduler's next due draw (one timer per process). */
  #wake(): void {
    if (!this.timers) return;
    const at = this.scheduler.nextDueAt();
    if (at === undefined || at >= this.#timerAt) return;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timerAt = at;
    this.#timer = setTimeout(
      () => {
        this.#timer = undefined;
        this.#timerAt = Number.POSITIVE_INFINITY;
        void this.drawDue().catch((err: unknown) =>
          this.deps.logger.error({ err: errorSummary(err) }, 'floor drawing failed'),
        );
      },
      Math.max(0, at - this.deps.now()),
    );
    this.#timer.unref?.();
  }
}

/** A live floor this keeper run keeps: its record and the scope it shows. */
interface Tracked {
  rec: FloorRecord;
  scope: string;
}

/** One inspector's floors during one keeper loop. */
export class InspectorFloors {
  readonly #hub: FloorLiveHub;
  readonly #session: () => SessionRecord;
  readonly #floors = new Map<string, Tracked>();
  /** Scope → the floor as last read and folded (only scopes some live floor shows). */
  readonly #scopes = new Map<string, Floor>();
  readonly #subscribed = new Set<string>();
  /** The notes of each scope's read (e.g. a skill the gateway cannot filter). */
  readonly #notes = new Map<string, string[]>();
  #monitorsSig = '';
  /** Agents of live floors left unsubscribed (over the 500 limit). */
  #over = 0;
  #stopped = false;
  #wakeUp: () => void = () => {};
  readonly #loop: Promise<void>;

  readonly #adopted: ((session: SessionRecord) => void) | undefined;

  constructor(hub: FloorLiveHub, session: () => SessionRecord, adopted?: (session: SessionRecord) => void) {
    this.#hub = hub;
    this.#session = session;
    this.#adopted = adopted;
    this.#loop = hub.timers ? this.#run() : Promise.resolve();
  }

  get #deps(): FloorLiveDeps {
    return this.#hub.deps;
  }

  async #run(): Promise<void> {
    await Promise.resolve(); // the constructor returns first
    while (!this.#stopped) {
      try {
        await this.refresh();
      } catch (err) {
        this.#deps.logger.warn(
          { inspector: this.#session().inspectorId, err: errorSummary(err) },
          'floors not refreshed; trying again',
        );
      }
      if (this.#stopped) return;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.#hub.refreshMs);
        this.#wakeUp = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  /** The floors as the store lists them now: load new live ones, pause expired ones, (un)subscribe. */
  async refresh(): Promise<void> {
    const session = this.#session();
    const now = this.#deps.now();
    const recs = (await this.#deps.store.floors.listFloors(session.inspectorId)).filter(
      (r) => r.teamId === session.teamId,
    );
    const live = recs.filter((r) => isLiveFloor(r, now));
    await this.#readMonitors(session.teamId, live.length > 0 || this.#floors.size > 0);
    for (const rec of recs) if (rec.pausedAt === undefined && !isLiveFloor(rec, now)) await this.#pause(rec);
    for (const rec of live) await this.#track(rec);
    const liveIds = new Set(live.map((r) => r.floorId));
    for (const id of [...this.#floors.keys()]) if (!liveIds.has(id)) this.#floors.delete(id);
    this.#dropUnusedScopes();
    await this.#subscribe();
  }

  /** Fold the inspector's events into its live floors; changed floors are handed to the scheduler. */
  fold(events: readonly GatewayEvent[]): void {
    if (this.#scopes.size === 0 || events.length === 0) return;
    const now = this.#deps.now();
    const changed = new Set<string>();
    for (const [key, floor] of this.#scopes) {
      const next = foldEvents(floor, events, now);
      if (next === floor) continue;
      this.#scopes.set(key, next);
      changed.add(key);
    }
    for (const t of this.#floors.values()) if (changed.has(t.scope)) this.#changed(t.rec);
  }

  /**
   * The loop ends (run over, lease lost, session ended). When the session is no longer active, the live
   * floors are drawn paused (their next Refresh needs a live session); else the next run takes them on.
   */
  async leave(): Promise<void> {
    this.#stopped = true;
    this.#wakeUp();
    await this.#loop;
    if (this.#floors.size === 0) return;
    const session = this.#session();
    const now = await this.#deps.store.getSession(session.inspectorId);
    if (now?.status === 'active' && now.sessionId === session.sessionId) return;
    for (const t of [...this.#floors.values()]) await this.#pause(t.rec, { load: false });
  }

  /** The hub found the surface deleted: forget the floor for good. */
  async gone(rec: FloorRecord): Promise<void> {
    this.#floors.delete(rec.floorId);
    await this.#deps.store.floors.deleteFloor(rec.teamId, rec.floorId);
    this.#deps.logger.info({ floor: rec.floorId }, 'floor message is gone; no more redraws');
  }

  async #track(rec: FloorRecord): Promise<void> {
    const key = scopeKey(rec.scope);
    if (!this.#scopes.has(key)) {
      const floor = await this.#load(rec.scope);
      if (!floor) return;
      this.#scopes.set(key, floor);
    }
    const known = this.#floors.get(rec.floorId);
    this.#floors.set(rec.floorId, { rec, scope: key });
    if (known && known.rec.version === rec.version) return;
    // New to this run, refreshed or paged: whoever opened it drew it just now; draw ours after the gap.
    if (!known || known.rec.openedAt !== rec.openedAt) this.#hub.opened(rec);
    this.#changed(rec);
  }

  /** One `allagentstatus` read for a scope (floor-read.ts, as the floor job reads it), its notes kept. */
  async #load(scope: FloorScope): Promise<Floor | undefined> {
    const session = this.#session();
    const read = await readFloor(this.#deps, session, scope);
    if (!read.ok) {
      this.#deps.logger.warn(
        { inspector: session.inspectorId, problem: read.detail },
        'floor not loaded: the gateway did not answer allagentstatus',
      );
      return undefined;
    }
    this.#notes.set(scopeKey(scope), read.notes);
    return read.floor;
  }

  async #adopt(outcome: Pick<GatewayOutcome, 'newGuid' | 'cookie'>): Promise<void> {
    if (!outcome.newGuid && !outcome.cookie) return;
    const fresh = await adoptSessionChanges(this.#deps, this.#session(), outcome);
    if (fresh) this.#adopted?.(fresh);
  }

  /** qc-slack's monitoring records; when they changed, every loaded floor shows the new monitors. */
  async #readMonitors(teamId: string, needed: boolean): Promise<void> {
    if (!needed) return;
    const records = await floorMonitorRecords(this.#deps, teamId);
    const sig = JSON.stringify(records);
    if (sig === this.#monitorsSig) return;
    this.#monitorsSig = sig;
    const now = this.#deps.now();
    for (const [key, floor] of this.#scopes) this.#scopes.set(key, withMonitors(floor, records, now));
    for (const t of this.#floors.values()) this.#changed(t.rec);
  }

  #dropUnusedScopes(): void {
    const used = new Set([...this.#floors.values()].map((t) => t.scope));
    for (const key of [...this.#scopes.keys()]) if (!used.has(key)) this.#scopes.delete(key);
  }

  /** `beginmonitor` what the live floors show and is not subscribed yet; `endmonitor` what none needs. */
  async #subscribe(): Promise<void> {
    const all = this.#candidates();
    const wanted = new Set(all.slice(0, MAX_LIVE_AGENTS));
    const overBefore = this.#over;
    this.#over = all.length - wanted.size;
    const add = [...wanted].filter((id) => !this.#subscribed.has(id));
    const drop = [...this.#subscribed].filter((id) => !wanted.has(id));
    if (add.length > 0 && (await this.#monitorCall('beginMonitor', add)))
      for (const id of add) this.#subscribed.add(id);
    if (drop.length > 0 && (await this.#monitorCall('endMonitor', drop)))
      for (const id of drop) this.#subscribed.delete(id);
    if (this.#over !== overBefore) for (const t of this.#floors.values()) this.#changed(t.rec);
  }

  /**
   * The agents the live floors show (the inspector itself left out), in the order they are subscribed
   * when there are more than 500: signed-in agents first, then by ID (numeric), so the limit leaves out
   * signed-out agents and the highest IDs.
   */
  #candidates(): string[] {
    const self = this.#session().inspectorId;
    const byId = new Map<string, boolean>();
    for (const floor of this.#scopes.values())
      for (const a of floor.agents.values()) if (a.id !== self) byId.set(a.id, a.state === 'signed-out');
    return [...byId.entries()]
      .sort(([a, outA], [b, outB]) => Number(outA) - Number(outB) || a.length - b.length || (a < b ? -1 : 1))
      .map(([id]) => id);
  }

  async #monitorCall(call: 'beginMonitor' | 'endMonitor', ids: string[]): Promise<boolean> {
    const session = this.#session();
    const outcome = await this.#deps.gateway[call](gatewaySession(session), ids);
    await this.#adopt(outcome);
    if (!outcome.ok)
      this.#deps.logger.warn(
        { inspector: session.inspectorId, call, agents: ids.length, retcode: outcome.retcode },
        'floor subscription refused by the gateway',
      );
    return outcome.ok;
  }

  /**
   * Draw the floor once more as paused (from the floor in memory, else one read when `load`), remember it,
   * and stop keeping it. The caller then ends the subscriptions no live floor needs.
   */
  async #pause(rec: FloorRecord, opts: { load?: boolean } = {}): Promise<void> {
    const kept = this.#scopes.get(scopeKey(rec.scope));
    const floor = kept ?? (opts.load === false ? undefined : await this.#load(rec.scope));
    this.#floors.delete(rec.floorId);
    if (floor) this.#hub.changed(this, rec, { ...this.#viewOf(rec, floor), paused: true });
    const paused = await this.#deps.store.floors.updateFloor(rec, { pausedAt: this.#deps.now() });
    if (!paused) this.#deps.logger.info({ floor: rec.floorId }, 'floor changed meanwhile; not paused');
  }

  #changed(rec: FloorRecord): void {
    const floor = this.#scopes.get(scopeKey(rec.scope));
    if (floor) this.#hub.changed(this, rec, this.#viewOf(rec, floor));
  }

  #viewOf(rec: FloorRecord, floor: Floor): FloorView {
    const notes = [...(this.#notes.get(scopeKey(rec.scope)) ?? [])];
    if (this.#over > 0)
      notes.push(
        `Live for the first ${MAX_LIVE_AGENTS} agents only (the gateway's limit): ${this.#over} others are as last read; Refresh reads them again.`,
      );
    return {
      floor,
      scope: rec.scope,
      now: this.#deps.now(),
      page: rec.page,
      ...(notes.length ? { notes } : {}),
    };
  }
}
