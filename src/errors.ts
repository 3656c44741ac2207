import { scrubString } from './log';

/** What a log line says about a failure. */
export interface ErrorSummary {
  name: string;
  message: string;
  /** A Node network code (`ECONNREFUSED`), a Slack Web API code, an app error's code. */
  code?: string;
  /** The HTTP status an AWS SDK error (`$metadata.httpStatusCode`) or a Slack HTTP error carries. */
  status?: number;
}

const REDACTED = '[REDACTED]';

/** `text` without `secrets` (values the caller knows: a signing secret…) nor a credential log.ts knows. */
function scrub(text: string, secrets: string[]): string {
  let out = text;
  for (const secret of secrets) if (secret.length > 0) out = out.split(secret).join(REDACTED);
  return scrubString(out);
}

function httpStatus(fields: Record<string, unknown>): number | undefined {
  const metadata = fields.$metadata;
  const fromAws =
    typeof metadata === 'object' && metadata !== null
      ? (metadata as Record<string, unknown>).httpStatusCode
      : undefined;
  const status = fromAws ?? fields.statusCode;
  return typeof status === 'number' ? status : undefined;
}

/** `String(value)`, or a placeholder for a value that has no text (a null-prototype object). */
function text(value: unknown): string {
  try {
    return String(value);
  } catch {
    return '[unprintable]';
  }
}

/**
 * Whatever was thrown, as a log line may show it: its name, message and code scrubbed of credentials
 * (Guids, tokens, `password=…`, the registered secret values and `secrets`), and an HTTP status. Never
 * its stack, its cause or its other fields (an SDK error may carry a request with a Guid in it).
 */
export function errorSummary(err: unknown, ...secrets: string[]): ErrorSummary {
  const fields = typeof err === 'object' && err !== null ? (err as Record<string, unknown>) : {};
  const name = typeof fields.name === 'string' ? fields.name : err === null ? 'null' : typeof err;
  const message = typeof fields.message === 'string' ? fields.message : text(err);
  const summary: ErrorSummary = { name: scrub(name, secrets), message: scrub(message, secrets) };
  if (typeof fields.code === 'string') summary.code = scrub(fields.code, secrets);
  const status = httpStatus(fields);
  if (status !== undefined) summary.status = status;
  return summary;
}
