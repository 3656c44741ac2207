import type { GatewayEvent } from './events';
import type { GwReply } from './types';

/** Paraphrased meanings from the reference's error table (§8). */
const MESSAGES: Record<string, string> = {
  '000-001': 'wrong method for obtaining agent events',
  '000-002': 'invalid parameter or address in the URL',
  '000-005': 'the agent to be inspected is the inspector himself',
  '000-006': 'message parameter error',
  '100-001': 'sign-in parameter empty or invalid',
  '100-002': 'the agent has already signed in',
  '100-004': 'wrong username or password',
  '100-006': 'the agent has not signed in',
  '100-007': 'exception during the operation',
  '100-010': 'state error at sign-out',
  '100-011': 'invalid parameter at sign-in',
  '100-019': 'invalid parameter when querying skill queues',
  '900-002': 'no quality-control permission',
  '900-004': 'no information about the agent to be monitored',
  '900-005': 'quality-control state error',
};

export const ok = (result: unknown = {}, message = ''): GwReply => ({
  body: { message, retcode: '0', result },
});

/** `{"message":"","retcode":"0"}` — what self-state calls (sayfree, saybusy …) answer (addendum §2). */
export const okBare = (): GwReply => ({ body: { message: '', retcode: '0' } });

/** `{"message":"success","retcode":"0"}` — heartbeat and push-reply shape. */
export const okNoResult = (): GwReply => ({ body: { message: 'success', retcode: '0' } });

export const fail = (retcode: string, status = 200): GwReply => ({
  status,
  body: { message: MESSAGES[retcode] ?? 'error', retcode, result: {} },
});

/** One event, or the empty poll exactly as real gateways send it: `{"message":"","retcode":"0"}` (no `event`). */
export const eventReply = (event: GatewayEvent | null, headers?: Record<string, string>): GwReply => {
  const r: GwReply = { body: event ? { message: '', retcode: '0', event } : { message: '', retcode: '0' } };
  if (headers) r.headers = headers;
  return r;
};

/** Agent IDs: digits (the reference documents 101–999999; the simulator checks the syntax only). */
export const AGENT_ID_RE = /^[0-9]{1,10}$/;

/** Parses a request body; empty => undefined. */
export function parseBody(raw: string): { ok: true; value: unknown } | { ok: false } {
  if (raw.trim() === '') return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(raw) as unknown };
  } catch {
    return { ok: false };
  }
}
