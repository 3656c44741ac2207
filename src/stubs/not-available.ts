/**
 * Shared by the stubs in this folder. The Slack Lambda bundle aliases Bolt dependencies that
 * `App` + `AwsLambdaReceiver` never call (Express, Socket Mode, OAuth, raw-body, path-to-regexp) to
 * these modules (see scripts/build.ts), which keeps them out of the bundle. Anything that does reach
 * one of them fails loudly instead of misbehaving.
 */
export function notAvailable(what: string): never {
  throw new Error(`${what} is not available in the Lambda build (stubbed out by scripts/build.ts)`);
}

/** A class that throws when constructed. */
export function unavailableClass(what: string): new (...args: unknown[]) => never {
  return class {
    constructor() {
      notAvailable(what);
    }
  } as unknown as new (
    ...args: unknown[]
  ) => never;
}
