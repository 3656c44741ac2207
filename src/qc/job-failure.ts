import { GatewayInputError, GatewayTransportError } from '../gateway/errors';

/**
 * A job that threw, with what the worker needs to decide about a retry: whether the job's
 * idempotency claim was taken, and whether a gateway request may have been carried out (then the
 * job must never run again).
 */
export class JobFailure extends Error {
  readonly claimed: boolean;
  readonly mayHaveApplied: boolean;

  constructor(cause: unknown, opts: { claimed: boolean; mayHaveApplied: boolean }) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
    this.name = 'JobFailure';
    this.claimed = opts.claimed;
    this.mayHaveApplied = opts.mayHaveApplied;
  }
}

/** Set once a gateway request was sent that may have been carried out. */
export interface GatewayProgress {
  mayHaveApplied: boolean;
}

/**
 * The gateway client, noting in `progress` every request that may have reached the gateway: one
 * that answered, or one that failed in a way that may have applied (errors.ts says which). A
 * request refused before it was sent (connection refused, bad input) leaves `progress` as it was.
 */
export function trackGateway<G extends object>(gateway: G, progress: GatewayProgress): G {
  return new Proxy(gateway, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop, target);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const result: unknown = value.apply(target, args);
        if (!(result instanceof Promise)) return result;
        return result.then(
          (answer: unknown) => {
            progress.mayHaveApplied = true;
            return answer;
          },
          (err: unknown) => {
            const notSent =
              err instanceof GatewayInputError ||
              (err instanceof GatewayTransportError && !err.mayHaveApplied);
            if (!notSent) progress.mayHaveApplied = true;
            throw err;
          },
        );
      };
    },
  });
}
