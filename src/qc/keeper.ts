import { createHash, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { type GatewayEvent, type GatewayOutcome, GatewayTransportError } from '../gateway';
import { ConflictError, type SessionRecord } from '../store/types';
import type { QcDeps } from './ports';
import { gatewaySession } from './run-qc';
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
  /** Pause after a failed poll before the next one. */
  errorBackoffMs?: number;
  shard?: number;
  shards?: number;
}

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
  return sleep(ms, undefined, signal ? { signal } : {}).catch(() => {});
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

  constructor(deps: QcDeps, opts: KeeperOptions = {}) {
    this.#deps = deps;
    this.#opts = {
      owner: opts.owner ?? `keeper-${randomUUID()}`,
      runMs: opts.runMs ?? 55_000,
      leaseMs: opts.leaseMs ?? 45_000,
      rescanMs: opts.rescanMs ?? 5_000,
      handshakeMs: opts.handshakeMs ?? 30_000,
      errorBackoffMs: opts.errorBackoffMs ?? 1_000,
      shard: opts.shard ?? 0,
      shards: opts.shards ?? 1,
    };
    this.#report = this.#emptyReport();
  }

  /** Run for `runMs` (or until `signal` aborts), then release every lease and report. */
  async run(signal?: AbortSignal): Promise<KeeperReport> {
    this.#report = this.#emptyReport();
    this.#stopAt = Date.now() + this.#opts.runMs;
    while (!this.#stopping(signal)) {
      try {
        await this.#scan(signal);
      } catch (err) {
        this.#report.errors++;
        this.#deps.logger.error(
          { error: (err as Error).name, msg: (err as Error).message },
          'keeper scan failed',
        );
      }
      await pause(Math.min(this.#opts.rescanMs, Math.max(0, this.#stopAt - Date.now())), signal);
    }
    await Promise.allSettled(this.#running.values());
    return this.#report;
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
            { inspector: session.inspectorId, error: (err as Error).name },
            'keeper loop failed',
          );
        })
        .finally(async () => {
          this.#running.delete(session.inspectorId);
          await this.#deps.store.releaseLease(session.inspectorId, this.#opts.owner).catch(() => {});
        });
      this.#running.set(session.inspectorId, loop);
    }
  }

  /** One inspector: poll (or handshake) until the run ends, the session ends or the lease is lost. */
  async #keep(initial: SessionRecord, signal?: AbortSignal): Promise<void> {
    const { store, gateway, logger } = this.#deps;
    let session = initial;
    let leaseRenewedAt = Date.now();
    let lastHandshake = 0;
    let mayHavePending = true;
    while (!this.#stopping(signal)) {
      if (Date.now() - leaseRenewedAt > this.#opts.leaseMs / 3) {
        const kept = await store.acquireLease(
          session.inspectorId,
          session.sessionId,
          this.#opts.owner,
          this.#deps.now(),
          this.#opts.leaseMs,
        );
        if (!kept) {
          this.#report.lostLeases++;
          return;
        }
        leaseRenewedAt = Date.now();
      }
      // Poll mode: only this loop adds events, so the pending list is read only when it may hold some
      // (at start: a previous run may have left some). Push mode: another function adds them.
      const flushed: FlushResult =
        session.mode === 'push' || mayHavePending ? await flushPendingEvents(this.#deps, session) : 'done';
      mayHavePending = flushed !== 'done';
      if (flushed === 'session-ended') {
        await this.#ended(session, 'the gateway signed you out (AgentOther_ShutdownService)');
        return;
      }
      if (flushed === 'waiting') {
        // A result message is being posted: give it a moment instead of a 10 s long poll.
        await pause(200, signal);
        continue;
      }
      // A long backlog is flushed in slices (the lease is renewed in between), before any poll.
      if (flushed === 'more') continue;
      let outcome: GatewayOutcome<{ event?: GatewayEvent | null }>;
      try {
        if (session.mode === 'push') {
          const wait = lastHandshake + this.#opts.handshakeMs - Date.now();
          if (wait > 0) {
            await pause(Math.min(wait, 1_000, Math.max(0, this.#stopAt - Date.now())), signal);
            continue;
          }
          lastHandshake = Date.now();
          outcome = await gateway.handshake(
            gatewaySession(session),
            session.serviceToken ? { serviceToken: session.serviceToken } : {},
          );
        } else {
          outcome = await gateway.pollEvent(gatewaySession(session));
        }
        this.#report.polls++;
      } catch (err) {
        if (!(err instanceof GatewayTransportError)) throw err;
        if (signal?.aborted) return; // shutting down: the client was closed under the poll
        this.#report.errors++;
        logger.warn(
          { inspector: session.inspectorId, error: err.kind, code: err.code },
          'keeper poll failed; retrying',
        );
        await pause(this.#opts.errorBackoffMs, signal);
        continue;
      }
      if (outcome.newGuid) {
        const updated = await this.#storeGuid(session, outcome.newGuid.reveal());
        if (!updated) return;
        session = updated;
      }
      if (!outcome.ok) {
        if (outcome.explanation.sessionEnded) {
          await this.#ended(session, `the gateway no longer accepts the session (${outcome.retcode})`);
          return;
        }
        this.#report.errors++;
        logger.warn({ inspector: session.inspectorId, retcode: outcome.retcode }, 'keeper poll refused');
        await pause(this.#opts.errorBackoffMs, signal);
        continue;
      }
      const event = outcome.data.event;
      if (event) {
        this.#report.events++;
        const seq = await store
          .nextEventSeq(session.inspectorId, session.sessionId, this.#opts.owner)
          .catch((err: unknown) => {
            if (err instanceof ConflictError) return undefined;
            throw err;
          });
        if (seq === undefined) {
          this.#report.lostLeases++;
          return;
        }
        await store.savePending({
          inspectorId: session.inspectorId,
          sessionId: session.sessionId,
          seq,
          event,
          receivedAt: this.#deps.now(),
        });
        mayHavePending = true;
      }
    }
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
    const ended = await this.#deps.store.endSession(
      session.inspectorId,
      session.sessionId,
      reason,
      this.#deps.now(),
    );
    if (ended) {
      await this.#deps.notifier
        .dm(session.teamId, session.userId, {
          kind: 'session-ended',
          inspectorId: session.inspectorId,
          reason,
        })
        .catch((err: unknown) =>
          this.#deps.logger.warn({ error: (err as Error).name }, 'could not DM about the ended session'),
        );
    }
  }
}
