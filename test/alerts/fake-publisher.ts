import type { AlertInput } from '../../src/alerts/payload';
import type { AlertPublisher } from '../../src/alerts/publisher';

export interface PublishCall {
  alert: AlertInput;
  dedupeKey: string;
}

/**
 * An AlertPublisher that records its calls. By default it posts (alert_id A1, A2, …) and answers a repeated
 * dedupeKey as a duplicate of the first post; `failWith` makes every call throw that value instead.
 */
export function fakePublisher(opts: { failWith?: unknown } = {}): AlertPublisher & {
  calls: PublishCall[];
  failWith: unknown;
} {
  const posted = new Map<string, { alertId: string; channel: string; ts: string }>();
  const fake = {
    calls: [] as PublishCall[],
    failWith: opts.failWith,
    async publish(alert: AlertInput, dedupeKey: string) {
      fake.calls.push({ alert, dedupeKey });
      if (fake.failWith !== undefined) throw fake.failWith;
      const seen = posted.get(dedupeKey);
      if (seen) return { ...seen, duplicate: true };
      const first = {
        alertId: `A${posted.size + 1}`,
        channel: alert.channel,
        ts: `1732530000.${String(posted.size + 1).padStart(6, '0')}`,
      };
      posted.set(dedupeKey, first);
      return { ...first, duplicate: false };
    },
  };
  return fake;
}
