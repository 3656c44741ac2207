/**
 * Errors worth a retry: a Slack Web API call or a DynamoDB request that failed for a reason that
 * passes (network, throttling, a 5xx). A platform error (`channel_not_found`), a condition that
 * failed or a bug is not: retrying would fail the same way.
 */
import { StoreError } from '../store/types';

const SLACK_TRANSIENT = new Set(['slack_webapi_request_error', 'slack_webapi_rate_limited_error']);
const AWS_TRANSIENT = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'InternalServerError',
  'ServiceUnavailable',
  'TransactionConflictException',
  'TimeoutError',
]);
const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ENOTFOUND']);

function field(err: object, name: string): unknown {
  return (err as Record<string, unknown>)[name];
}

export function isTransient(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  if (err instanceof StoreError) return isTransient(err.cause);
  const code = field(err, 'code');
  if (typeof code === 'string' && (SLACK_TRANSIENT.has(code) || NETWORK_CODES.has(code))) return true;
  // @slack/web-api: an HTTP error from Slack (5xx) carries statusCode.
  const status = field(err, 'statusCode');
  if (code === 'slack_webapi_http_error' && typeof status === 'number') return status >= 500;
  // AWS SDK v3: `$retryable` on throttling and transient errors, `$metadata.httpStatusCode`.
  if (field(err, '$retryable')) return true;
  const name = field(err, 'name');
  if (typeof name === 'string' && AWS_TRANSIENT.has(name)) return true;
  const metadata = field(err, '$metadata');
  const http =
    typeof metadata === 'object' && metadata !== null ? field(metadata, 'httpStatusCode') : undefined;
  return typeof http === 'number' && http >= 500;
}
