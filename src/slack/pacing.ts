import { NotifierBusyError } from '../qc/notifier-busy';

/**
 * Pacing of Slack Web API calls inside one process, and Slack's 429s honoured: `chat.postMessage` about
 * one per second per channel with a short burst, the Tier 3 methods (`chat.update`,
 * `conversations.open`, `views.publish`) about 50 a minute per workspace (docs/slack-app.md, "Limits
 * qc-slack is built to"). A call waits its turn; a 429's `Retry-After` holds every call of that
 * channel/method until then. Waits never pass the caller's deadline: then `SlackBusyError`, and the
 * caller keeps the message for later (delayed, never dropped). Processes do not share this: across
 * Lambda containers the pacing is Slack's own 429s, honoured here.
 */

export interface PaceRate {
  /** Calls at once. */
  burst: number;
  /** Refill per minute. */
  perMinute: number;
}

export interface PacingOptions {
  /** Per channel, for posts. Default 1/s, burst 4 (a little under Slack's tolerance). */
  post?: PaceRate;
  /** Per method, for the methods listed in TIERED. Default 50/min, burst 8. */
  tier3?: PaceRate;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** Slack's Tier 3 methods qc-slack calls. */
const TIERED = new Set(['chat.update', 'conversations.open', 'views.publish']);

/** Methods qc-slack does not pace itself (Slack's 429s still hold them). */
const UNPACED: PaceRate = { burst: Number.POSITIVE_INFINITY, perMinute: 60_000 };

/** Slack asked us to wait (429) longer than the caller can: the message must wait for a later run. */
export class SlackBusyError extends NotifierBusyError {
  override readonly name = 'SlackBusyError';
  constructor(
    readonly key: string,
    retryAt: number,
  ) {
    super(`Slack rate limit on ${key}: no turn before the deadline`, retryAt);
  }
}

interface Lane {
  tokens: number;
  at: number;
  /** No call before this (a 429's Retry-After). */
  blockedUntil: number;
  /** The calls of this lane go one after another through this chain (in order). */
  tail: Promise<void>;
}

/** The lane of a call: per channel for posts, per method for tiered methods, none otherwise. */
export function laneOf(method: string, channel?: string): string | undefined {
  if (method === 'chat.postMessage') return `post:${channel ?? ''}`;
  return TIERED.has(method) ? `method:${method}` : undefined;
}

export class Pacer {
  readonly #post: PaceRate;
  readonly #tier3: PaceRate;
  readonly #now: () => number;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #lanes = new Map<string, Lane>();

  constructor(opts: PacingOptions = {}) {
    this.#post = opts.post ?? { burst: 4, perMinute: 60 };
    this.#tier3 = opts.tier3 ?? { burst: 8, perMinute: 50 };
    this.#now = opts.now ?? Date.now;
    this.#sleep = opts.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }

  /**
   * Run `fn` (one Web API call) in this lane's turn: after the calls before it, when the lane has a
   * token and no Retry-After holds it. A 429 holds the lane for its Retry-After and `fn` runs again,
   * keeping its place (the lane's calls reach Slack in call order). Throws SlackBusyError when the
   * turn would come after `deadline`.
   */
  async run<T>(key: string, deadline: number, fn: () => Promise<T>): Promise<T> {
    const lane = this.#lane(key);
    const prev = lane.tail;
    let release = () => {};
    const mine = new Promise<void>((r) => {
      release = r;
    });
    // The next call waits for this one and for the ones before it (this one may give up early).
    lane.tail = Promise.all([prev, mine]).then(() => {});
    try {
      await this.#within(prev, key, deadline);
      for (;;) {
        const wait = this.#waitMs(key, lane);
        if (this.#now() + wait > deadline) throw new SlackBusyError(key, this.#now() + wait);
        if (wait > 0) await this.#sleep(wait);
        this.#refill(key, lane);
        lane.tokens = Math.max(0, lane.tokens - 1);
        try {
          return await fn();
        } catch (err) {
          const retryAfter = retryAfterOf(err);
          if (retryAfter === undefined) throw err;
          this.hold(key, retryAfter);
          this.onRateLimited?.(key, retryAfter);
        }
      }
    } finally {
      release();
    }
  }

  /** Wait for the calls before this one, but not past the deadline (then SlackBusyError). */
  async #within(prev: Promise<void>, key: string, deadline: number): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<'late'>((r) => {
      timer = setTimeout(() => r('late'), Math.max(0, deadline - this.#now()));
    });
    try {
      if ((await Promise.race([prev, late])) === 'late') throw new SlackBusyError(key, deadline);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Called on each 429 (the notifier logs it). */
  onRateLimited?: (key: string, retryAfterSec: number) => void;

  /** Slack answered 429 with Retry-After: nobody in this lane calls before then. */
  hold(key: string, retryAfterSec: number): void {
    const lane = this.#lane(key);
    lane.blockedUntil = Math.max(lane.blockedUntil, this.#now() + retryAfterSec * 1000);
    lane.tokens = 0;
  }

  #rate(key: string): PaceRate {
    if (key.startsWith('free:')) return UNPACED;
    return key.startsWith('post:') ? this.#post : this.#tier3;
  }

  #lane(key: string): Lane {
    let lane = this.#lanes.get(key);
    if (!lane) {
      lane = { tokens: this.#rate(key).burst, at: this.#now(), blockedUntil: 0, tail: Promise.resolve() };
      this.#lanes.set(key, lane);
    }
    return lane;
  }

  #refill(key: string, lane: Lane): void {
    const rate = this.#rate(key);
    const now = this.#now();
    lane.tokens = Math.min(rate.burst, lane.tokens + ((now - lane.at) * rate.perMinute) / 60_000);
    lane.at = now;
  }

  #waitMs(key: string, lane: Lane): number {
    this.#refill(key, lane);
    const now = this.#now();
    const blocked = Math.max(0, lane.blockedUntil - now);
    const forToken = lane.tokens >= 1 ? 0 : ((1 - lane.tokens) * 60_000) / this.#rate(key).perMinute;
    return Math.ceil(Math.max(blocked, forToken));
  }
}

/** Seconds to wait from a Web API error that is Slack's 429 (`rejectRateLimitedCalls`), else undefined. */
export function retryAfterOf(err: unknown): number | undefined {
  const e = err as { code?: unknown; retryAfter?: unknown; data?: { error?: unknown } };
  if (e?.code === 'slack_webapi_rate_limited_error' && typeof e.retryAfter === 'number') return e.retryAfter;
  if (e?.data?.error === 'ratelimited') return 1;
  return undefined;
}
