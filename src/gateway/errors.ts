/**
 * Transport failures: the gateway did not give us a documented answer. They are distinct from
 * retcodes (a documented answer that says no). None of these messages ever carries a Guid,
 * password, token, request body or response body.
 */
export type TransportErrorKind = 'timeout' | 'connection' | 'tls' | 'http-status' | 'bad-response';

export abstract class GatewayTransportError extends Error {
  abstract readonly kind: TransportErrorKind;
  /** The gateway operation (its log name, e.g. `intercept`). */
  readonly operation: string;
  /**
   * True when the request may have reached the gateway and been carried out although we saw no
   * answer (a timeout or reset after the request was sent). A supervisor must check before
   * repeating a non-idempotent operation such as intercept.
   */
  readonly mayHaveApplied: boolean;
  /** The low-level code (e.g. `ECONNREFUSED`, `UND_ERR_HEADERS_TIMEOUT`), for logs. */
  readonly code: string | undefined;

  constructor(operation: string, message: string, opts: { code?: string; mayHaveApplied: boolean }) {
    super(message);
    this.name = new.target.name;
    this.operation = operation;
    this.code = opts.code;
    this.mayHaveApplied = opts.mayHaveApplied;
  }

  /** What a supervisor should read. */
  abstract get explanation(): string;
  /** What a supervisor should do. */
  get nextStep(): string {
    return this.mayHaveApplied
      ? 'It may have happened anyway: check /qc status before you try again.'
      : 'Try again in a minute; if it keeps happening, tell the platform team.';
  }
}

export class GatewayTimeoutError extends GatewayTransportError {
  readonly kind = 'timeout';
  readonly phase: 'connect' | 'response';
  readonly timeoutMs: number;

  constructor(operation: string, phase: 'connect' | 'response', timeoutMs: number, code?: string) {
    super(
      operation,
      `gateway ${operation}: no ${phase === 'connect' ? 'connection' : 'answer'} within ${timeoutMs} ms`,
      {
        code,
        mayHaveApplied: phase === 'response',
      },
    );
    this.phase = phase;
    this.timeoutMs = timeoutMs;
  }

  get explanation(): string {
    const seconds = (this.timeoutMs / 1000).toFixed(this.timeoutMs % 1000 === 0 ? 0 : 1);
    return this.phase === 'connect'
      ? `The gateway could not be reached within ${seconds} s.`
      : `The gateway did not answer within ${seconds} s.`;
  }
}

export class GatewayConnectionError extends GatewayTransportError {
  readonly kind = 'connection';
  readonly reason: 'refused' | 'reset' | 'unreachable' | 'closed';

  constructor(
    operation: string,
    reason: GatewayConnectionError['reason'],
    code?: string,
    mayHaveApplied = false,
  ) {
    super(operation, `gateway ${operation}: connection ${reason}${code ? ` (${code})` : ''}`, {
      code,
      mayHaveApplied,
    });
    this.reason = reason;
  }

  get explanation(): string {
    switch (this.reason) {
      case 'refused':
        return 'The gateway refused the connection (is it running, and is the address right?).';
      case 'unreachable':
        return 'The gateway address cannot be reached from here.';
      default:
        return 'The connection to the gateway broke before it answered.';
    }
  }
}

export class GatewayTlsError extends GatewayTransportError {
  readonly kind = 'tls';

  constructor(operation: string, code?: string) {
    super(operation, `gateway ${operation}: TLS handshake failed${code ? ` (${code})` : ''}`, {
      code,
      mayHaveApplied: false,
    });
  }

  get explanation(): string {
    return "The gateway's TLS certificate could not be verified (check CCGW_CA_FILE and the gateway address).";
  }

  override get nextStep(): string {
    return 'Tell the platform team: the gateway certificate or CA file needs fixing.';
  }
}

export class GatewayHttpStatusError extends GatewayTransportError {
  readonly kind = 'http-status';
  readonly status: number;

  constructor(operation: string, status: number) {
    super(operation, `gateway ${operation}: HTTP ${status}`, {
      code: `HTTP_${status}`,
      mayHaveApplied: status >= 500,
    });
    this.status = status;
  }

  get explanation(): string {
    return `The gateway answered with HTTP ${this.status} instead of a result.`;
  }
}

export class GatewayBadResponseError extends GatewayTransportError {
  readonly kind = 'bad-response';

  constructor(operation: string, detail: string) {
    super(operation, `gateway ${operation}: unexpected response (${detail})`, {
      code: 'BAD_RESPONSE',
      mayHaveApplied: true,
    });
  }

  get explanation(): string {
    return 'The gateway sent an answer qc-slack could not read.';
  }
}

/** A caller passed something the client refuses to send (bad agent ID, bad call ID, bad Guid). */
export class GatewayInputError extends Error {
  readonly field: string;

  constructor(field: string, message: string) {
    super(message);
    this.name = 'GatewayInputError';
    this.field = field;
  }
}
