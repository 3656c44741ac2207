/**
 * POST /alerts, transport-free: a monitoring system's signed alert → an HTTP status and JSON body.
 * Order: method → size (413) → signature (401) → payload (400) → publish (201 / 200 duplicate /
 * 422 channel unreachable / 422 not postable / 503 try again). Never throws and never answers 500; the secret is never
 * put in an answer or a log line.
 */
import { errorSummary } from '../errors';
import type { Logger } from '../logger';
import { type AlertInput, parseAlert } from './payload';
import {
  AlertChannelError,
  AlertContentError,
  AlertInProgressError,
  AlertPublishError,
  type AlertPublisher,
} from './publisher';
import { verifyAlertSignature } from './signature';

export type { AlertInput } from './payload';
export {
  AlertChannelError,
  AlertContentError,
  AlertInProgressError,
  AlertPublishError,
  type AlertPublisher,
} from './publisher';

export const DEFAULT_MAX_BODY_BYTES = 16_384;
export const TIMESTAMP_HEADER = 'x-qc-timestamp';
export const SIGNATURE_HEADER = 'x-qc-signature';

export interface AlertDeps {
  secret: string;
  maxAgentId: number;
  now: () => number;
  logger: Logger;
  publisher: AlertPublisher;
  maxBodyBytes?: number;
}

export interface AlertRequest {
  method?: string;
  headers: Record<string, string | undefined>;
  body: string;
}

export interface AlertAnswer {
  status: number;
  body: Record<string, unknown>;
}

/** A header by case-insensitive name; the first one if the transport joined repeats into an array. */
function header(headers: AlertRequest['headers'], name: string): string | undefined {
  if (typeof headers !== 'object' || headers === null) return undefined;
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== name) continue;
    if (typeof value === 'string') return value;
    if (Array.isArray(value) && typeof value[0] === 'string') return value[0];
  }
  return undefined;
}

/** Logs without ever failing the request: a logger that throws must not turn an answer into a 503. */
function log(deps: AlertDeps, level: 'info' | 'warn' | 'error', obj: object, msg: string): void {
  try {
    deps.logger[level](obj, msg);
  } catch {
    // nothing sensible to do: the answer matters more than the log line
  }
}

function channelMessage(channel: string, code: string): string {
  const invite = `invite the bot with /invite @qc-slack in ${channel}`;
  switch (code) {
    case 'channel_not_found':
      return `channel ${channel} was not found (${code}): check the channel ID; if it is private, ${invite}, then send the alert again`;
    case 'is_archived':
      return `channel ${channel} is archived (${code}): unarchive it or send alerts to another channel`;
    default:
      return `qc-slack cannot post in ${channel} (${code}): ${invite}, then send the alert again`;
  }
}

async function publish(deps: AlertDeps, alert: AlertInput, dedupeKey: string): Promise<AlertAnswer> {
  try {
    const posted = await deps.publisher.publish(alert, dedupeKey);
    const answer = { ok: true, alert_id: posted.alertId, channel: posted.channel, ts: posted.ts };
    log(
      deps,
      'info',
      {
        alertId: posted.alertId,
        channel: posted.channel,
        agentId: alert.agentId,
        severity: alert.severity,
        duplicate: posted.duplicate === true,
      },
      posted.duplicate ? 'alert already posted (duplicate request)' : 'alert posted',
    );
    return posted.duplicate
      ? { status: 200, body: { ...answer, duplicate: true } }
      : { status: 201, body: answer };
  } catch (err) {
    if (err instanceof AlertChannelError) {
      log(
        deps,
        'warn',
        { channel: alert.channel, agentId: alert.agentId, err: errorSummary(err, deps.secret) },
        'alert not posted: the bot cannot post in the channel',
      );
      return {
        status: 422,
        body: { ok: false, error: 'channel_unreachable', message: channelMessage(alert.channel, err.code) },
      };
    }
    if (err instanceof AlertContentError) {
      // Sending the same alert again cannot help: a 4xx, so the sender does not retry it.
      log(
        deps,
        'error',
        { channel: alert.channel, agentId: alert.agentId, err: errorSummary(err, deps.secret) },
        'alert not posted: Slack refused its content',
      );
      return {
        status: 422,
        body: {
          ok: false,
          error: 'not_postable',
          message: `Slack refused the alert's message (${err.code}); the same alert would be refused again: shorten its reason, customer or details before sending it`,
        },
      };
    }
    if (err instanceof AlertInProgressError) {
      // A sender's retry racing its own original: not a failure, the original is being posted.
      log(
        deps,
        'info',
        { channel: alert.channel, agentId: alert.agentId },
        'alert already being posted; told to retry',
      );
      return {
        status: 503,
        body: {
          ok: false,
          error: 'in_progress',
          message: 'the same alert is being posted right now; retry in a moment',
        },
      };
    }
    const transient = err instanceof AlertPublishError;
    log(
      deps,
      'error',
      { channel: alert.channel, agentId: alert.agentId, transient, err: errorSummary(err, deps.secret) },
      transient ? 'alert not posted: Slack or the store failed' : 'alert not posted: unexpected error',
    );
    return unavailable();
  }
}

function unavailable(): AlertAnswer {
  return {
    status: 503,
    body: {
      ok: false,
      error: 'unavailable',
      message: 'the alert could not be posted just now; try again',
    },
  };
}

async function receive(deps: AlertDeps, req: AlertRequest): Promise<AlertAnswer> {
  const method = typeof req.method === 'string' ? req.method.toUpperCase() : undefined;
  if (method !== undefined && method !== 'POST') {
    return {
      status: 405,
      body: { ok: false, error: 'method_not_allowed', message: 'send alerts with POST' },
    };
  }

  const body = typeof req.body === 'string' ? req.body : '';
  const maxBytes = deps.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const bytes = Buffer.byteLength(body, 'utf8');
  if (bytes > maxBytes) {
    return {
      status: 413,
      body: {
        ok: false,
        error: 'too_large',
        message: `the body is ${bytes} bytes; alerts are at most ${maxBytes} bytes`,
      },
    };
  }

  const signature = header(req.headers, SIGNATURE_HEADER);
  const check = verifyAlertSignature({
    secret: deps.secret,
    timestamp: header(req.headers, TIMESTAMP_HEADER),
    signature,
    body,
    nowMs: deps.now(),
  });
  if (!check.ok) {
    log(deps, 'warn', { reason: check.reason, bytes }, 'alert refused: signature not verified');
    return {
      status: 401,
      body: { ok: false, error: 'unauthorized', message: `signature not verified: ${check.reason}` },
    };
  }

  const parsed = parseAlert(body, deps.maxAgentId);
  if (!parsed.ok) {
    log(deps, 'info', { field: parsed.field }, 'alert refused: invalid payload');
    return {
      status: 400,
      body: { ok: false, error: 'invalid_alert', field: parsed.field, message: parsed.message },
    };
  }

  // The same signed request sent again (a retry) is the same alert. Hex case does not change the MAC.
  const dedupeKey = (signature ?? '').trim().toLowerCase();
  return publish(deps, parsed.alert, dedupeKey);
}

export async function receiveAlert(deps: AlertDeps, req: AlertRequest): Promise<AlertAnswer> {
  try {
    return await receive(deps, req);
  } catch (err) {
    // Only a fault in this module or its deps gets here (say, a clock that throws): still no 500, no throw.
    log(deps, 'error', { err: errorSummary(err, deps.secret) }, 'alert handling failed');
    return unavailable();
  }
}
