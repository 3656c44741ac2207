import { inspect } from 'node:util';

const REDACTED = '[REDACTED]';

/**
 * A credential (Guid, password, service token) that never prints itself.
 * `String(s)`, template literals, `JSON.stringify` and `util.inspect`/`console.log` all give
 * `[REDACTED]`; only `reveal()` returns the value, and only code that sends it to the gateway
 * or stores it should call that.
 */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  static of(value: string | Secret): Secret {
    return value instanceof Secret ? value : new Secret(value);
  }

  reveal(): string {
    return this.#value;
  }

  /** True when both hold the same value (constant time is not needed: neither side is attacker-timed). */
  equals(other: Secret | undefined): boolean {
    return other !== undefined && other.#value === this.#value;
  }

  get length(): number {
    return this.#value.length;
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [inspect.custom](): string {
    return REDACTED;
  }
}
