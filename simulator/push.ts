import { setImmediate as nextTick } from 'node:timers/promises';
import { Agent, request } from 'undici';
import type { Session } from './types';

export interface PushHost {
  now(): number;
  readonly retryIntervalMs: number;
  readonly failTotalMs: number;
  /** Delivery kept failing for failTotalMs: sign the agent out. */
  onGiveUp(session: Session): void;
  /** An ended session has nothing left to deliver. */
  onDrained(session: Session): void;
}

const MAX_BATCH = 50;
const TIMEOUT_MS = 5_000;

/**
 * Push mode: POSTs `{workNo, eventList}` to the session's callBackUri with `Guid` and `service_token`
 * headers. Failure (transport error, non-2xx, or a reply without retcode "0") => retry every
 * retryIntervalMs (driven by tick()); failing for failTotalMs => onGiveUp. https callbacks verify
 * certificates with the default trust store.
 */
export class PushDelivery {
  private readonly sessions = new Set<Session>();
  private readonly pending = new Set<Promise<void>>();
  private readonly dispatcher = new Agent({ keepAliveTimeout: 4_000, connect: { timeout: TIMEOUT_MS } });
  private closed = false;

  constructor(private readonly host: PushHost) {}

  add(session: Session): void {
    session.push = { inFlight: false, scheduled: false, attempts: 0, delivered: 0 };
    this.sessions.add(session);
  }

  remove(session: Session): void {
    this.sessions.delete(session);
  }

  clear(): void {
    this.sessions.clear();
  }

  /** Deliver soon (events queued in the same tick go out in one batch) unless waiting for a retry. */
  schedule(session: Session): void {
    const st = session.push;
    if (!st || this.closed || st.inFlight || st.scheduled || st.nextRetryAt !== undefined) return;
    st.scheduled = true;
    this.track(
      nextTick().then(() => {
        st.scheduled = false;
        return this.flush(session);
      }),
    );
  }

  /** Time-based part: give up after failTotalMs, retry when due. */
  tick(now: number): void {
    for (const s of [...this.sessions]) {
      const st = s.push;
      if (!st || st.inFlight) continue;
      if (st.failingSince !== undefined && now - st.failingSince >= this.host.failTotalMs) {
        this.host.onGiveUp(s);
        continue;
      }
      if (st.nextRetryAt !== undefined && now >= st.nextRetryAt) {
        st.nextRetryAt = undefined;
        this.track(this.flush(s));
      }
    }
  }

  /** Resolves when no delivery is scheduled or in flight. */
  async settled(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.sessions.clear();
    await this.dispatcher.destroy().catch(() => {});
  }

  private track(p: Promise<void>): void {
    const q = p.catch(() => {}).finally(() => this.pending.delete(q));
    this.pending.add(q);
  }

  private async flush(session: Session): Promise<void> {
    const st = session.push;
    if (!st || this.closed || st.inFlight || session.queue.length === 0 || !session.callBackUri) return;
    const batch = session.queue.slice(0, MAX_BATCH);
    st.inFlight = true;
    st.attempts += 1;
    const ok = await this.post(session, batch);
    st.inFlight = false;
    if (this.closed) return;
    const now = this.host.now();
    if (ok) {
      const sent = new Set(batch);
      session.queue = session.queue.filter((e) => !sent.has(e));
      st.delivered += batch.length;
      st.failingSince = undefined;
      st.nextRetryAt = undefined;
      if (session.queue.length > 0) this.schedule(session);
      else if (session.ended) this.host.onDrained(session);
      return;
    }
    if (session.ended) {
      // Final delivery after a sign-out is best effort.
      session.queue = [];
      this.host.onDrained(session);
      return;
    }
    st.failingSince ??= now;
    st.nextRetryAt = now + this.host.retryIntervalMs;
    if (now - st.failingSince >= this.host.failTotalMs) this.host.onGiveUp(session);
  }

  private async post(session: Session, batch: unknown[]): Promise<boolean> {
    try {
      const res = await request(session.callBackUri as string, {
        method: 'POST',
        dispatcher: this.dispatcher,
        headers: {
          'content-type': 'application/json; charset=UTF-8',
          guid: session.currentGuid,
          service_token: session.serviceToken ?? '',
        },
        body: JSON.stringify({ workNo: session.agentId, eventList: batch }),
        headersTimeout: TIMEOUT_MS,
        bodyTimeout: TIMEOUT_MS,
      });
      const text = await res.body.text();
      if (res.statusCode < 200 || res.statusCode > 299) return false;
      const json = JSON.parse(text) as { retcode?: unknown } | null;
      return json !== null && typeof json === 'object' && json.retcode === '0';
    } catch {
      return false;
    }
  }
}
