/**
 * Gateway events: the `event` of a poll response, or an entry of a push `eventList`.
 * The reference shows several shapes (with or without `eventGenTime`, with `jsonKey` arrays,
 * `workNo` as string or number, `content` as object, string or null); parsing is tolerant of all
 * of them and never throws.
 */
export interface GatewayEvent {
  type: string;
  workNo: string;
  /** ms epoch, when the gateway stamped it (newer gateways only). */
  genTime?: number;
  content: unknown;
}

export const QC_TYPE = { listen: 8, insert: 9, whisper: 20172, whisperAlt: 20173 } as const;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stripJsonKey(value: unknown): unknown {
  if (!isRecord(value) || !('jsonKey' in value)) return value;
  const { jsonKey: _ignored, ...rest } = value;
  return rest;
}

/** One event object → GatewayEvent, or null when it is not an event at all. */
export function parseEvent(raw: unknown): GatewayEvent | null {
  if (!isRecord(raw)) return null;
  const type = raw.eventType;
  if (typeof type !== 'string' || type.length === 0) return null;
  const workNo = raw.workNo;
  const genTime = typeof raw.eventGenTime === 'number' ? raw.eventGenTime : Number(raw.eventGenTime);
  const event: GatewayEvent = {
    type,
    workNo: typeof workNo === 'string' || typeof workNo === 'number' ? String(workNo) : '',
    content: stripJsonKey(raw.content ?? null),
  };
  if (Number.isFinite(genTime) && genTime > 0) event.genTime = genTime;
  return event;
}

/** A push callback body `{workNo, eventList: [...]}` → its events, oldest first. */
export function parsePushBody(body: unknown): { workNo: string; events: GatewayEvent[] } | null {
  if (!isRecord(body) || !Array.isArray(body.eventList)) return null;
  const workNo =
    typeof body.workNo === 'string' || typeof body.workNo === 'number' ? String(body.workNo) : '';
  const events = body.eventList.map(parseEvent).filter((e): e is GatewayEvent => e !== null);
  return { workNo, events };
}

/** Read a string field of an event's content whatever its JSON type ("7" or 7). */
export function contentField(event: GatewayEvent, name: string): string | undefined {
  const content = event.content;
  if (!isRecord(content)) return undefined;
  const value = content[name];
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}
