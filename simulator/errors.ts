/** A misuse of the simulator's control surface (bad agent, no call …). status: 400 or 404 for /sim. */
export class SimError extends Error {
  override name = 'SimError';
  constructor(
    message: string,
    readonly status: 400 | 404 = 400,
  ) {
    super(message);
  }
}
