import pino from 'pino';
import type { Logger } from './logger';

/**
 * Keys whose values are credentials, compared lower-cased without `_`/`-`: a key that is one of these
 * or ends in one (`botToken`, `signingSecret`, `x-api-key` …) is redacted at any depth.
 */
const SECRET_KEY_ENDINGS = [
  'guid',
  'guids',
  'password',
  'passwd',
  'token',
  'authorization',
  'cookie',
  'cookies',
  'secret',
  'signature',
  'apikey',
  'accesskey',
  'credentials',
];

const REDACTED = '[REDACTED]';
/** Objects nested deeper than this are not logged at all (nothing we log legitimately goes there). */
const MAX_DEPTH = 8;

/** Values known to be secrets (the signing secret, the bot token): scrubbed wherever they show up. */
const knownSecrets = new Set<string>();

/** Scrubs `value` from every later log line, in any string. Short values are ignored (false hits). */
export function registerSecretValue(value: string | undefined): void {
  if (value && value.length >= 8) knownSecrets.add(value);
}

function isSecretKey(key: string): boolean {
  const k = key.toLowerCase().replace(/[_-]/g, '');
  return SECRET_KEY_ENDINGS.some((end) => k.endsWith(end));
}

const KEY_WORDS = 'password|passwd|guid|service_?token|token|secret|signature|authorization';
const STRING_SCRUBS: ReadonlyArray<[RegExp, string]> = [
  // CC-Gateway Guids: <uuid>.AgentGateway<n> (also inside JSESSIONID=… and Set-GUID headers).
  [/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.AgentGateway\w*/gi, '[GUID]'],
  // Slack tokens: xoxb-, xoxp-, xoxa-, xoxe-, xapp- …
  [/\b(?:xox[a-z]|xapp)-[A-Za-z0-9-]+/g, REDACTED],
  // "password":"…" and \"password\":\"…\" in JSON text.
  [new RegExp(`((?:${KEY_WORDS})\\\\?"\\s*:\\s*\\\\?")(?:[^"\\\\]|\\\\(?!"))*`, 'gi'), `$1${REDACTED}`],
  // %22password%22%3A%22…%22 in form-encoded JSON (Slack's interactive `payload=`).
  [new RegExp(`((?:${KEY_WORDS})%22%3A%22)(?:(?!%22).)*`, 'gi'), `$1${REDACTED}`],
  // password=… / guid: … in free text.
  [new RegExp(`\\b((?:${KEY_WORDS})\\s*[=:]\\s*)(?![\\["\\\\]|%22)[^\\s,;&"'}]+`, 'gi'), `$1${REDACTED}`],
];

/** `text` with every Guid, token, known secret and `key=value` credential replaced. */
export function scrubString(text: string): string {
  let out = text;
  for (const secret of knownSecrets) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
  for (const [pattern, replacement] of STRING_SCRUBS) out = out.replace(pattern, replacement);
  return out;
}

/** A copy of `value` fit to log: credential keys redacted at any depth, strings scrubbed, Errors flattened. */
function scrub(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return scrubString(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return '[TOO DEEP]';
  if (value instanceof Error) {
    return { type: value.name, message: scrubString(value.message), stack: scrubString(value.stack ?? '') };
  }
  if (Array.isArray(value)) return value.map((v) => scrub(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    const plain = v === null || v === undefined || typeof v === 'boolean' || typeof v === 'number';
    out[key] = isSecretKey(key) && !plain ? REDACTED : scrub(v, depth + 1);
  }
  return out;
}

/**
 * The arguments of one log call, made safe: the object scrubbed, the message scrubbed, and an object
 * `msg` (call sites pass `{ error, msg: err.message }` plus a message) renamed `errorMessage`, so a
 * line has one `msg` key (log processors keep only one of two).
 */
function safeArgs(args: unknown[]): unknown[] {
  const [first, ...rest] = args;
  if (typeof first === 'string') return [scrubString(first), ...rest.map((r) => scrub(r))];
  if (first instanceof Error) {
    const err = scrub(first) as { message: string };
    return [{ err }, typeof rest[0] === 'string' ? scrubString(rest[0]) : err.message];
  }
  const obj = scrub(first) as Record<string, unknown> | null;
  const message = typeof rest[0] === 'string' ? scrubString(rest[0]) : undefined;
  if (obj && typeof obj === 'object' && 'msg' in obj && message !== undefined) {
    const { msg, ...others } = obj;
    return [{ ...others, errorMessage: msg }, message];
  }
  return message === undefined ? [obj] : [obj, message];
}

/** JSON logs to stdout (CloudWatch-friendly); no credential at any level (see `scrub`). */
export function createLogger(level: string = 'info', destination?: pino.DestinationStream): Logger {
  const logger = pino(
    {
      level,
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      // Errors are flattened (and scrubbed) before pino sees them; its own serializer would re-type them.
      serializers: { err: (err: unknown) => err },
      hooks: {
        logMethod(args, method) {
          method.apply(this, safeArgs(args) as Parameters<typeof method>);
        },
      },
    },
    destination ?? pino.destination({ sync: true }),
  );
  return logger as unknown as Logger;
}
