/**
 * Slack's rate limits, as the local Slack API enforces them (docs/slack-app.md, "Limits qc-slack is
 * built to"): `chat.postMessage` about one message per second per channel with a short burst allowed,
 * and the other methods per method per workspace by tier (Tier 2 20/min, Tier 3 50/min, Tier 4 100/min).
 * Over the limit, the answer is HTTP 429 with `Retry-After` (whole seconds) and
 * `{ ok: false, error: 'ratelimited' }`, as Slack answers. Token buckets on an injected clock, so tests
 * do not depend on the machine's speed.
 */

/** One bucket's shape: `burst` calls at once, refilled at `perMinute`. */
export interface Rate {
  perMinute: number;
  burst: number;
}

export interface RateLimitConfig {
  /** chat.postMessage (and chat.postEphemeral, which Slack counts alike) per channel. */
  postPerChannel: Rate;
  /** Per method per workspace; methods not listed are not limited. */
  methods: Record<string, Rate>;
}

const TIER2: Rate = { perMinute: 20, burst: 5 };
const TIER3: Rate = { perMinute: 50, burst: 10 };
const TIER4: Rate = { perMinute: 100, burst: 20 };

export const SLACK_RATE_LIMITS: RateLimitConfig = {
  postPerChannel: { perMinute: 60, burst: 5 },
  methods: {
    'chat.update': TIER3,
    'chat.delete': TIER3,
    'conversations.open': TIER3,
    'conversations.info': TIER3,
    'views.publish': TIER3,
    'views.update': TIER3,
    'views.push': TIER3,
    'views.open': TIER4,
    'users.info': TIER4,
    'chat.getPermalink': TIER4,
    'files.getUploadURLExternal': TIER2,
    'files.completeUploadExternal': TIER2,
  },
};

const POSTS = new Set(['chat.postMessage', 'chat.postEphemeral']);

interface Bucket {
  tokens: number;
  at: number;
}

/** The limiter of one fake workspace. `check` takes a token or says how long to wait. */
export class RateLimiter {
  readonly #config: RateLimitConfig;
  readonly #clock: () => number;
  readonly #buckets = new Map<string, Bucket>();
  /** 429s answered, per method (the bench reports them). */
  readonly limited = new Map<string, number>();

  constructor(config: RateLimitConfig, clock: () => number) {
    this.#config = config;
    this.#clock = clock;
  }

  /** Null when the call may go; else the seconds to wait (Slack's `Retry-After`, at least 1). */
  check(method: string, args: Record<string, unknown>): number | null {
    const rule = this.#rule(method, args);
    if (!rule) return null;
    const now = this.#clock();
    const perMs = rule.rate.perMinute / 60_000;
    const b = this.#buckets.get(rule.key) ?? { tokens: rule.rate.burst, at: now };
    b.tokens = Math.min(rule.rate.burst, b.tokens + (now - b.at) * perMs);
    b.at = now;
    this.#buckets.set(rule.key, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return null;
    }
    this.limited.set(method, (this.limited.get(method) ?? 0) + 1);
    return Math.max(1, Math.ceil((1 - b.tokens) / perMs / 1000));
  }

  /** Total 429s answered. */
  get total(): number {
    let n = 0;
    for (const v of this.limited.values()) n += v;
    return n;
  }

  #rule(method: string, args: Record<string, unknown>): { key: string; rate: Rate } | undefined {
    if (POSTS.has(method)) {
      const channel = typeof args.channel === 'string' ? args.channel : '';
      return { key: `post:${channel}`, rate: this.#config.postPerChannel };
    }
    const rate = this.#config.methods[method];
    return rate ? { key: `method:${method}`, rate } : undefined;
  }
}

/** `rateLimits` option → the config in force (undefined: off). */
export function rateLimitConfig(
  opt: boolean | Partial<RateLimitConfig> | undefined,
): RateLimitConfig | undefined {
  if (!opt) return undefined;
  if (opt === true) return SLACK_RATE_LIMITS;
  return {
    postPerChannel: opt.postPerChannel ?? SLACK_RATE_LIMITS.postPerChannel,
    methods: opt.methods ?? SLACK_RATE_LIMITS.methods,
  };
}
