import { createHash, randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { errorSummary } from '../errors';
import {
  type GatewayEvent,
  GatewayHttpStatusError,
  type GatewayOutcome,
  GatewayTransportError,
} from '../gateway';
import { ConflictError, type SessionRecord } from '../store/types';
import { endSessionAndTell } from './end-session';
import { type FloorLiveHub, floorLiveFor, floorOnlyEvent, type InspectorFloors } from './floor-live';
import type { QcDeps } from './ports';
import { gatewaySession } from './run-qc';
import { adoptCookie } from './session-changes';
import { nextTakeoverStep } from './takeover-step';
import { type FlushResult, flushPendingEvents } from './thread-events';

export interface KeeperOptions {
  /** This keeper's identity for leases (one per invocation). */
  owner?: string;
  /** How long one run lasts (Lambda: ~55 s of each minute). */
  runMs?: number;
  /** Lease length; renewed well before it expires. Must exceed the longest poll. */
  leaseMs?: number;
  /** How often the list of active sessions is read again (new sign-ins). */
  rescanMs?: number;
  /** Push mode heartbeat period. */
  handshakeMs?: number;
  /** First pause after a failed poll; doubles with each failure in a row (with jitter). */
  errorBackoffMs?: number;
  /** The longest pause after failures in a row. */
  maxErrorBackoffMs?: number;
  /**
   * An empty poll answered faster than this was not held by the gateway (some deployments answer at
   * once): pause `emptyPollPauseMs` before the next, as real clients do, instead of spinning.
   */
  fastEmptyPollMs?: number;
  emptyPollPauseMs?: number;
  shard?: number;
  shards?: number;
}

/** One inspector's loop, between polls. */
interface LoopState {
  session: SessionRecord;
  leaseRenewedAt: number;
  lastHandshake: number;
  mayHavePending: boolean;
  /** Failed polls in a row (the backoff grows with it). */
  failures: number;
  /** "Session unknown" answers in a row: one is not proof (a load balancer may have misrouted it). */
  doubts: number;
  /** A push-mode session on a gateway without `handshake`: kept alive by polling. */
  pollInstead: boolean;
  /** A take-over waits for this inspector's phone: its next step is looked at after every poll. */
  takeover: boolean;
}

const errorName = (err: unknown): string => (err instanceof Error ? err.name : 'Error');

export interface KeeperReport {
  owner: string;
  sessions: number;
  polls: number;
  events: number;
  rotations: number;
  ended: number;
  errors: number;
  lostLeases: number;
}

/** Wait, but wake at once when the run is aborted (never throws). */
function pause(ms: number, signal?: AbortSignal): Promise<void> {
  // Its only rejection is the abort itself: waking early is the point, not a failure.
  return sleep(ms, undefined, signal ? { signal } : {}).catch(() => {});
}

/**
 * The pause after `failures` failed polls in a row: `base` doubled each time, capped at `max`, with
 * "equal jitter" (half fixed, half random) so that inspectors whose polls failed together do not retry
 * together. Each inspector has its own loop and its own count: one inspector's failures slow nobody else.
 */
export function backoffMs(
  failures: number,
  base: number,
  max: number,
  random: () => number = Math.random,
): number {
  if (failures <= 0) return 0;
  const ceiling = Math.min(max, base * 2 ** Math.min(failures - 1, 30));
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}

/** Which shard an inspector belongs to (stable hash, so a shard's inspectors don't move around). */
export function shardOf(inspectorId: string, shards: number): number {
  if (shards <= 1) return 0;
  return createHash('sha1').update(inspectorId).digest().readUInt32BE(0) % shards;
}

/**
 * Keeps signed-in inspectors' gateway sessions alive and turns their events into thread replies.
 * Exactly one poller per inspector: a lease in DynamoDB, taken before polling and renewed while
 * polling. The keeper is the only writer of the Guid (versioned), so a rotation is never lost.
 */
export class Keeper {
  readonly #deps: QcDeps;
  readonly #opts: Required<KeeperOptions>;
  readonly #running = new Map<string, Promise<void>>();
  #report: KeeperReport;
  #stopAt = 0;
  /** This gateway answered 404 to `handshake` (now or in an earlier run: read at the start of a run). */
  #noHandshakeKnown = false;
  /** The process's live floors (one redraw scheduler for every run of this process). */
  readonly #floors: FloorLiveHub;

  constructor(deps: QcDeps, opts: KeeperOptions = {}) {
    this.#deps = deps;
    this.#floors = floorLiveFor(deps);
    this.#opts = {
      owner: opts.owner ?? `keeper-${randomUUID()}`,
      runMs: opts.runMs ?? 55_000,
      leaseMs: opts.leaseMs ?? 45_000,
      rescanMs: opts.rescanMs ?? 5_000,
      handshakeMs: opts.handshakeMs ?? 30_000,
      errorBackoffMs: opts.errorBackoffMs ?? 1_000,
      maxErrorBackoffMs: opts.maxErrorBackoffMs ?? 15_000,
      fastEmptyPollMs: opts.fastEmptyPollMs ?? 1_000,
      emptyPollPauseMs: opts.emptyPollPauseMs ?? 500,
      shard: opts.shard ?? 0,
      shards: opts.shards ?? 1,
    };
    this.#report = this.#emptyReport();
  }

  /** Run for `runMs` (or until `signal` aborts), then release every lease and report. */
  async run(signal?: AbortSignal): Promise<KeeperReport> {
    this.#report = this.#emptyReport();
    this.#stopAt = Date.now() + this.#opts.runMs;
    // Every inspector's loop waits on this one signal: hundreds of listeners are expected, not a leak.
    if (signal) setMaxListeners(0, signal);
    this.#noHandshakeKnown = await this.#deps.store
      .getGatewayFallbacks()
      .then((f) => 'no-handshake' in f)
      .catch(() => this.#noHandshakeKnown); // unknown: find out again from the first handshake
    const delivering = this.#deliverKept(signal);
    while (!this.#stopping(signal)) {
      try {
        await this.#scan(signal);
      } catch (err) {
        this.#report.errors++;
        this.#deps.logger.error({ err: errorSummary(err) }, 'keeper scan failed');
      }
      await pause(Math.min(this.#opts.rescanMs, Math.max(0, this.#stopAt - Date.now())), signal);
    }
    await Promise.allSettled(this.#running.values());
    await delivering;
    return this.#report;
  }

  /**
   * Results Slack could not take within a worker's time (429s) wait in the table: post them, in
   * order, beside the inspectors' loops. One keeper does it (shard 0), so none is posted twice.
   */
  async #deliverKept(signal?: AbortSignal): Promise<void> {
    const deliver = this.#deps.notifier.deliverKept?.bind(this.#deps.notifier);
    if (!deliver || this.#opts.shard !== 0) return;
    while (!this.#stopping(signal)) {
      let left = 0;
      try {
        left = await deliver(this.#stopAt);
      } catch (err) {
        this.#report.errors++;
        this.#deps.logger.error({ err: errorSummary(err) }, 'kept posts could not be delivered');
      }
      if (left === 0)
        await pause(Math.min(this.#opts.rescanMs, Math.max(0, this.#stopAt - Date.now())), signal);
    }
  }

  #emptyReport(): KeeperReport {
    return {
      owner: this.#opts.owner,
      sessions: 0,
      polls: 0,
      events: 0,
      rotations: 0,
      ended: 0,
      errors: 0,
      lostLeases: 0,
    };
  }

  #stopping(signal?: AbortSignal): boolean {
    return Boolean(signal?.aborted) || Date.now() >= this.#stopAt;
  }

  async #scan(signal?: AbortSignal): Promise<void> {
    const sessions = await this.#deps.store.listActiveSessions();
    for (const session of sessions) {
      // A run that is ending takes no more leases: the loops that just stopped would be picked up
      // again (and released at once), one conditional write each, delaying the end of the run.
      if (this.#stopping(signal)) return;
      if (this.#running.has(session.inspectorId)) continue;
      if (shardOf(session.inspectorId, this.#opts.shards) !== this.#opts.shard) continue;
      const got = await this.#deps.store.acquireLease(
        session.inspectorId,
        session.sessionId,
        this.#opts.owner,
        this.#deps.now(),
        this.#opts.leaseMs,
      );
      if (!got) continue;
      this.#report.sessions++;
      const loop = this.#keep(session, signal)
        .catch((err: unknown) => {
          this.#report.errors++;
          this.#deps.logger.error(
            { inspector: session.inspectorId, err: errorSummary(err) },
            'keeper loop failed',
          );
        })
        .finally(async () => {
          this.#running.delete(session.inspectorId);
          await this.#deps.store
            .releaseLease(session.inspectorId, this.#opts.owner)
            .catch((err: unknown) =>
              this.#deps.logger.warn(
                { inspector: session.inspectorId, err: errorSummary(err) },
                'lease not released; it expires',
              ),
            );
        });
      this.#running.set(session.inspectorId, loop);
    }
  }

  /** One inspector: poll (or handshake) until the run ends, the session ends or the lease is lost. */
  async #keep(initial: SessionRecord, signal?: AbortSignal): Promise<void> {
    const st: LoopState = {
      session: initial,
      leaseRenewedAt: Date.now(),
      lastHandshake: 0,
      mayHavePending: true,
      failures: 0,
      doubts: 0,
      pollInstead: this.#noHandshakeKnown,
      takeover: false,
    };
    const floors = this.#floors.follow(
      () => st.session,
      (session) => {
        st.session = session;
      },
    );
    try {
      await this.#loop(st, floors, signal);
    } finally {
      await floors.leave();
    }
  }

  async #loop(st: LoopState, floors: InspectorFloors, signal?: AbortSignal): Promise<void> {
    while (!this.#stopping(signal)) {
      if (!(await this.#renewLease(st))) return;
      // Poll mode: only this loop adds events, so the pending list is read only when it may hold some
      // (at start: a previous run may have left some). Push mode: another function adds them.
      const hadEvents = st.session.mode === 'push' || st.mayHavePending;
      const flushed: FlushResult = hadEvents ? await flushPendingEvents(this.#deps, st.session) : 'done';
      st.mayHavePending = flushed !== 'done';
      if (flushed === 'session-ended') {
        await this.#ended(st.session, 'the gateway signed you out (AgentOther_ShutdownService)');
        return;
      }
      if (flushed === 'waiting') {
        // A result message is being posted: give it a moment instead of a 10 s long poll.
        await pause(200, signal);
        continue;
      }
      // A long backlog is flushed in slices (the lease is renewed in between), before any poll.
      if (flushed === 'more') continue;
      if (hadEvents || st.takeover) st.takeover = await nextTakeoverStep(this.#deps, st.session);
      const step = await this.#exchange(st, signal);
      if (step === 'stop') return;
      if (step === 'again' || step === null) continue;
      floors.fold([step]);
      if (floorOnlyEvent(step)) continue;
      if (!(await this.#savePending(st, step))) return;
    }
  }

  async #renewLease(st: LoopState): Promise<boolean> {
    if (Date.now() - st.leaseRenewedAt <= this.#opts.leaseMs / 3) return true;
    const kept = await this.#deps.store.acquireLease(
      st.session.inspectorId,
      st.session.sessionId,
      this.#opts.owner,
      this.#deps.now(),
      this.#opts.leaseMs,
    );
    if (!kept) {
      this.#report.lostLeases++;
      return false;
    }
    st.leaseRenewedAt = Date.now();
    return true;
  }

  /**
   * One poll (or push-mode handshake) and what its answer says: an event, `null` (nothing), `again`
   * (nothing to do now; the pauses are taken here) or `stop` (the session ended or the run is over).
   */
  async #exchange(st: LoopState, signal?: AbortSignal): Promise<GatewayEvent | null | 'again' | 'stop'> {
    const { gateway } = this.#deps;
    const push = st.session.mode === 'push' && !st.pollInstead;
    let outcome: GatewayOutcome<{ event?: GatewayEvent | null }>;
    const started = Date.now();
    try {
      if (push) {
        const wait = st.lastHandshake + this.#opts.handshakeMs - Date.now();
        if (wait > 0) {
          await pause(Math.min(wait, 1_000, Math.max(0, this.#stopAt - Date.now())), signal);
          return 'again';
        }
        st.lastHandshake = Date.now();
        outcome = await gateway.handshake(
          gatewaySession(st.session),
          st.session.serviceToken ? { serviceToken: st.session.serviceToken } : {},
        );
      } else {
        outcome = await gateway.pollEvent(gatewaySession(st.session));
      }
      this.#report.polls++;
    } catch (err) {
      if (!(err instanceof GatewayTransportError)) throw err;
      if (signal?.aborted) return 'stop'; // shutting down: the client was closed under the poll
      if (push && err instanceof GatewayHttpStatusError && err.status === 404) {
        await this.#handshakeMissing(st);
        return 'again';
      }
      return this.#failed(st, { error: err.kind, code: err.code }, signal);
    }
    if (!(await this.#adopt(st, outcome))) return 'stop';
    if (!outcome.ok) return this.#refused(st, outcome, signal);
    st.failures = 0;
    st.doubts = 0;
    const event = outcome.data.event ?? null;
    // A gateway that does not hold empty polls would otherwise be polled as fast as it answers.
    if (!push && !event && Date.now() - started < this.#opts.fastEmptyPollMs) {
      await pause(this.#opts.emptyPollPauseMs, signal);
    }
    return event;
  }

  /** A refused poll. A "session unknown" answer ends the session only when the next poll says so too. */
  async #refused(
    st: LoopState,
    outcome: Extract<GatewayOutcome<unknown>, { ok: false }>,
    signal?: AbortSignal,
  ): Promise<'again' | 'stop'> {
    if (!outcome.explanation.sessionEnded) return this.#failed(st, { retcode: outcome.retcode }, signal);
    st.doubts++;
    if (st.doubts >= 2) {
      await this.#ended(st.session, `the gateway no longer accepts the session (${outcome.retcode})`);
      return 'stop';
    }
    // Behind a load balancer one request can reach a node that does not know the session: confirm.
    this.#deps.logger.info(
      { inspector: st.session.inspectorId, retcode: outcome.retcode },
      'gateway refused the session once; confirming with the next poll',
    );
    await pause(Math.min(this.#opts.errorBackoffMs, 1_000), signal);
    return 'again';
  }

  async #failed(st: LoopState, detail: object, signal?: AbortSignal): Promise<'again'> {
    this.#report.errors++;
    st.failures++;
    const wait = backoffMs(st.failures, this.#opts.errorBackoffMs, this.#opts.maxErrorBackoffMs);
    this.#deps.logger.warn(
      { inspector: st.session.inspectorId, ...detail, failures: st.failures, retryInMs: wait },
      'keeper poll failed; retrying',
    );
    await pause(Math.min(wait, Math.max(0, this.#stopAt - Date.now())), signal);
    return 'again';
  }

  /** Store what the answer says about the session (rotated Guid, load-balancer cookies). */
  async #adopt(st: LoopState, outcome: Pick<GatewayOutcome, 'newGuid' | 'cookie'>): Promise<boolean> {
    const withCookie = await adoptCookie(this.#deps.store, st.session, outcome.cookie);
    if (!withCookie) return false;
    st.session = withCookie;
    if (outcome.newGuid) {
      const updated = await this.#storeGuid(st.session, outcome.newGuid.reveal());
      if (!updated) return false;
      st.session = updated;
    }
    return true;
  }

  /**
   * An older gateway (the 2018 route table) has no `handshake`: keep this session alive by polling,
   * remember that for this gateway (the keepers of later runs poll at once; `/qc status` shows admins),
   * and say so once.
   */
  async #handshakeMissing(st: LoopState): Promise<void> {
    st.pollInstead = true;
    if (this.#noHandshakeKnown) return;
    this.#noHandshakeKnown = true;
    this.#deps.logger.warn(
      { inspector: st.session.inspectorId },
      'the gateway has no handshake route (HTTP 404): keeping push-mode sessions alive by polling',
    );
    await this.#deps.store
      .noteGatewayFallback('no-handshake', this.#deps.now())
      .catch((err: unknown) =>
        this.#deps.logger.warn({ error: errorName(err) }, 'could not record the fallback'),
      );
  }

  async #savePending(st: LoopState, event: GatewayEvent): Promise<boolean> {
    const { store } = this.#deps;
    this.#report.events++;
    const seq = await store
      .nextEventSeq(st.session.inspectorId, st.session.sessionId, this.#opts.owner)
      .catch((err: unknown) => {
        if (err instanceof ConflictError) return undefined;
        throw err;
      });
    if (seq === undefined) {
      this.#report.lostLeases++;
      return false;
    }
    await store.savePending({
      inspectorId: st.session.inspectorId,
      sessionId: st.session.sessionId,
      seq,
      event,
      receivedAt: this.#deps.now(),
    });
    st.mayHavePending = true;
    return true;
  }

  /** Store a rotated Guid at once. Returns the fresh session, or undefined when it was replaced/ended. */
  async #storeGuid(session: SessionRecord, guid: string): Promise<SessionRecord | undefined> {
    const { store } = this.#deps;
    try {
      const version = await store.updateGuid(
        session.inspectorId,
        session.sessionId,
        session.version,
        guid,
        this.#deps.now(),
      );
      this.#report.rotations++;
      return { ...session, guid, version, guidUpdatedAt: this.#deps.now() };
    } catch (err) {
      if (!(err instanceof ConflictError)) throw err;
      const fresh = await store.getSession(session.inspectorId);
      if (fresh?.status !== 'active' || fresh.sessionId !== session.sessionId) return undefined;
      // Someone else bumped the version (e.g. a forced sign-in wrote a new generation): retry once.
      const version = await store.updateGuid(
        fresh.inspectorId,
        fresh.sessionId,
        fresh.version,
        guid,
        this.#deps.now(),
      );
      this.#report.rotations++;
      return { ...fresh, guid, version };
    }
  }

  async #ended(session: SessionRecord, reason: string): Promise<void> {
    this.#report.ended++;
    await endSessionAndTell(this.#deps, session, reason);
  }
}
