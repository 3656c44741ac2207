/**
 * The console bridge's request bodies: JSON objects checked field by field. Anything else is a
 * BadInput, answered 400 with the words saying what is wrong (never a stack trace).
 */
import type { IncomingMessage } from 'node:http';

export class BadInput extends Error {
  override name = 'BadInput';
  constructor(
    message: string,
    readonly status: 400 | 403 | 404 | 405 | 413 | 415 = 400,
  ) {
    super(message);
  }
}

const MAX_BODY = 64 * 1024;

export type Obj = Record<string, unknown>;
export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The request's JSON object body (an empty body counts as `{}`). */
export async function jsonBody(req: IncomingMessage): Promise<Obj> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += buf.length;
    if (size > MAX_BODY) throw new BadInput(`the body is over ${MAX_BODY} bytes`, 413);
    chunks.push(buf);
  }
  const raw = Buffer.concat(chunks).toString('utf8').trim();
  if (raw === '') return {};
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new BadInput('the body is not valid JSON');
  }
  if (!isObj(json)) throw new BadInput('the body must be a JSON object');
  return json;
}

/** A required non-empty string field (at most `max` characters). */
export function str(body: Obj, key: string, max = 3000): string {
  const v = body[key];
  if (typeof v !== 'string' || v === '') throw new BadInput(`${key}: expected a non-empty string`);
  if (v.length > max) throw new BadInput(`${key}: at most ${max} characters`);
  return v;
}

/** An optional string field: undefined when absent, null or ''. */
export function optStr(body: Obj, key: string, max = 3000): string | undefined {
  const v = body[key];
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v !== 'string') throw new BadInput(`${key}: expected a string`);
  if (v.length > max) throw new BadInput(`${key}: at most ${max} characters`);
  return v;
}

/** One of `allowed`. */
export function oneOf<T extends string>(body: Obj, key: string, allowed: readonly T[]): T {
  const v = body[key];
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v))
    throw new BadInput(`${key}: expected one of ${allowed.join(', ')} (got ${JSON.stringify(v ?? null)})`);
  return v as T;
}
