/**
 * The JSON body of a monitoring alert → a validated AlertInput, or the first bad field with a message
 * that names it (`agentId: "abc" is not an agent ID (digits only)`). Unknown fields are ignored; text
 * fields are cleaned of control characters (see text.ts). Never throws.
 */
import { checkAgentId, checkCallId } from '../gateway/agent-id';
import { charLength, cleanBlock, cleanLine, shown } from './text';

export const SEVERITIES = ['info', 'warning', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];
export const DEFAULT_SEVERITY: Severity = 'warning';

export const MAX_REASON = 300;
export const MAX_CUSTOMER = 100;
export const MAX_DETAILS = 1000;

export interface AlertInput {
  channel: string;
  agentId: string;
  reason: string;
  severity: 'info' | 'warning' | 'critical';
  callId?: string;
  customer?: string;
  details?: string;
}

export type ParsedAlert = { ok: true; alert: AlertInput } | { ok: false; field: string; message: string };

/** Slack channel IDs (C…, G…) and the local stack's IDs such as C_QC (and D… for a DM). */
const CHANNEL_ID = /^[CG][A-Z0-9]{2,20}$|^[CGD][A-Z0-9_]{2,30}$/;

/** One bad field; thrown inside this module only, and turned into `{ ok: false, field, message }`. */
class FieldError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'FieldError';
  }
}

function fail(field: string, message: string): never {
  throw new FieldError(field, `${field}: ${message}`);
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}

/** null, absent and blank strings all mean "not given" for the optional fields. */
const isAbsent = (value: unknown): boolean =>
  value === undefined || value === null || (typeof value === 'string' && value.trim() === '');

function channelOf(value: unknown): string {
  if (isAbsent(value)) fail('channel', 'required, a Slack channel ID like C0123ABCD');
  if (typeof value !== 'string')
    fail('channel', `must be a string like "C0123ABCD" (got ${typeName(value)})`);
  const text = value.trim();
  if (!CHANNEL_ID.test(text)) {
    fail('channel', `${shown(text)} is not a Slack channel ID (like C0123ABCD: the ID, not the #name)`);
  }
  return text;
}

function agentIdOf(value: unknown, maxAgentId: number): string {
  if (isAbsent(value)) fail('agentId', 'required, the agent ID (work number) like 2005');
  if (typeof value !== 'string' && typeof value !== 'number') {
    fail('agentId', `must be a number like 2005 (got ${typeName(value)})`);
  }
  const text = String(value).trim().replace(/^#/, '');
  if (!/^[0-9]{1,7}$/.test(text)) fail('agentId', `${shown(value)} is not an agent ID (digits only)`);
  const check = checkAgentId(text, maxAgentId);
  if (!check.ok) fail('agentId', `${shown(value)} is not an agent ID (${check.reason})`);
  return check.id;
}

function reasonOf(value: unknown): string {
  if (isAbsent(value))
    fail('reason', `required, 1–${MAX_REASON} characters saying why the call is worth a look`);
  if (typeof value !== 'string') fail('reason', `must be a string (got ${typeName(value)})`);
  const text = cleanLine(value);
  if (text === '') fail('reason', 'must not be empty');
  const length = charLength(text);
  if (length > MAX_REASON) fail('reason', `is ${length} characters; at most ${MAX_REASON}`);
  return text;
}

function severityOf(value: unknown): Severity {
  if (isAbsent(value)) return DEFAULT_SEVERITY;
  const list = SEVERITIES.map((s) => `"${s}"`).join(', ');
  if (typeof value !== 'string') fail('severity', `must be one of ${list} (got ${typeName(value)})`);
  const text = value.trim().toLowerCase();
  const found = SEVERITIES.find((s) => s === text);
  if (!found) fail('severity', `${shown(value)} is not one of ${list}`);
  return found;
}

function callIdOf(value: unknown): string | undefined {
  if (isAbsent(value)) return undefined;
  if (typeof value !== 'string' && typeof value !== 'number') {
    fail('callId', `must be a string like "1456401416-3" (got ${typeName(value)})`);
  }
  const check = checkCallId(String(value).trim());
  if (!check.ok) fail('callId', `${shown(value)} is not a call ID (${check.reason})`);
  return check.id;
}

function textOf(
  field: string,
  value: unknown,
  max: number,
  clean: (s: string) => string,
): string | undefined {
  if (isAbsent(value)) return undefined;
  if (typeof value !== 'string') fail(field, `must be a string (got ${typeName(value)})`);
  const text = clean(value);
  const length = charLength(text);
  if (length > max) fail(field, `is ${length} characters; at most ${max}`);
  return text === '' ? undefined : text;
}

/** An own property of a parsed JSON object (never one inherited from Object.prototype). */
const own = (obj: Record<string, unknown>, key: string): unknown =>
  Object.hasOwn(obj, key) ? obj[key] : undefined;

export function parseAlert(body: string, maxAgentId: number): ParsedAlert {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return {
      ok: false,
      field: 'body',
      message: 'body: not JSON (send a JSON object, content-type application/json)',
    };
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    return { ok: false, field: 'body', message: `body: must be a JSON object (got ${typeName(json)})` };
  }
  const obj = json as Record<string, unknown>;
  try {
    const alert: AlertInput = {
      channel: channelOf(own(obj, 'channel')),
      agentId: agentIdOf(own(obj, 'agentId'), maxAgentId),
      reason: reasonOf(own(obj, 'reason')),
      severity: severityOf(own(obj, 'severity')),
    };
    const callId = callIdOf(own(obj, 'callId'));
    if (callId !== undefined) alert.callId = callId;
    const customer = textOf('customer', own(obj, 'customer'), MAX_CUSTOMER, cleanLine);
    if (customer !== undefined) alert.customer = customer;
    const details = textOf('details', own(obj, 'details'), MAX_DETAILS, cleanBlock);
    if (details !== undefined) alert.details = details;
    return { ok: true, alert };
  } catch (err) {
    if (err instanceof FieldError) return { ok: false, field: err.field, message: err.message };
    return { ok: false, field: 'body', message: 'body: could not be read as an alert' };
  }
}
