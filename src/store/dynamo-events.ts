import { randomUUID } from 'node:crypto';
import { BATCH, orConflict, type RecordTable, strip, unlessConditionFails, written } from './dynamo-util';
import { DAY_SECONDS, keys, ttlAfter } from './keys';
import type { EventStore, EventTurn, PendingEvent } from './types';

/** Writes in flight at once for one batch of pushed events (well under a partition's 1,000 WCU/s). */
const PARALLEL = 16;

/** Run `work` over `items` with at most `limit` in flight; results in input order. */
export async function mapLimit<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await work(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return out;
}

const chunks = <T>(items: T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

/** Events of one push stored per item (a few tens of KB; DynamoDB items hold 400 KB). */
const PACK = 100;
/** Pushed-event keys per marker item (22 characters each). */
const KEYS_PER_ITEM = 2_000;

/** Pushed events' bookkeeping: pending thread replies (packed per push), deduplication keys, turns. */
export class DynamoEventStore implements EventStore {
  readonly #session: RecordTable;
  readonly #turns: RecordTable;

  constructor(private readonly table: RecordTable) {
    this.#session = table.as('session');
    this.#turns = table.as('turn');
  }

  async savePending(ev: PendingEvent): Promise<void> {
    // Already kept (a retried delivery of the same sequence number): the first copy stands.
    await unlessConditionFails(
      this.table.put({
        Item: {
          ...keys.event(ev.inspectorId, ev.sessionId, ev.seq),
          ...ev,
          ttl: ttlAfter(ev.receivedAt, DAY_SECONDS),
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
      undefined,
    );
  }

  async listPending(inspectorId: string, sessionId: string): Promise<PendingEvent[]> {
    const items = await this.table.queryAll({
      KeyConditionExpression: 'pk = :p AND begins_with(sk, :e)',
      ExpressionAttributeValues: { ':p': keys.session(inspectorId).pk, ':e': keys.eventPrefix(sessionId) },
      ConsistentRead: true,
    });
    return items.flatMap((i) => DynamoEventStore.unpack(i));
  }

  async markPosted(inspectorId: string, sessionId: string, seq: number): Promise<void> {
    await this.table.delete({ Key: keys.event(inspectorId, sessionId, seq) });
  }

  /** Up to PACK events per item, keyed by its first seq; a retried write writes the same items. */
  async savePendingMany(events: PendingEvent[]): Promise<void> {
    const puts = chunks(events, PACK).map((pack) => {
      const first = pack[0] as PendingEvent;
      const last = pack.at(-1) as PendingEvent;
      return {
        PutRequest: {
          Item: {
            ...keys.event(first.inspectorId, first.sessionId, first.seq),
            inspectorId: first.inspectorId,
            sessionId: first.sessionId,
            seq: first.seq,
            lastSeq: last.seq,
            receivedAt: first.receivedAt,
            events: pack.map((ev) => ({ seq: ev.seq, event: ev.event })),
            ttl: ttlAfter(first.receivedAt, DAY_SECONDS),
          },
        },
      };
    });
    await mapLimit(chunks(puts, BATCH), PARALLEL, (batch) => this.table.batchWrite(batch));
  }

  /** Stored items → events in order (a packed item becomes its events). */
  static unpack(item: Record<string, unknown>): PendingEvent[] {
    const base = strip<
      PendingEvent & { events?: Array<Pick<PendingEvent, 'seq' | 'event'>>; lastSeq?: number }
    >(item);
    if (!base) return [];
    const { events, lastSeq, ...rest } = base;
    if (!events) return [rest];
    const pack = { first: rest.seq, last: lastSeq ?? rest.seq };
    return events.map((e) => ({ ...rest, seq: e.seq, event: e.event, pack }));
  }

  async markPostedMany(events: PendingEvent[]): Promise<void> {
    const gone = new Map<string, { pk: string; sk: string }>();
    for (const ev of events) {
      // A packed item goes once its last event is posted (events are posted in order).
      if (ev.pack && ev.seq !== ev.pack.last) continue;
      const key = keys.event(ev.inspectorId, ev.sessionId, ev.pack?.first ?? ev.seq);
      gone.set(key.sk, key);
    }
    const deletes = [...gone.values()].map((Key) => ({ DeleteRequest: { Key } }));
    await mapLimit(chunks(deletes, BATCH), PARALLEL, (batch) => this.table.batchWrite(batch));
  }

  async reserveEventSeqs(inspectorId: string, sessionId: string, count: number): Promise<number> {
    const update = this.#session.update({
      Key: keys.session(inspectorId),
      UpdateExpression: 'SET eventSeq = eventSeq + :n',
      ConditionExpression: 'sessionId = :s AND #st = :active',
      ExpressionAttributeNames: { '#st': 'status' },
      ExpressionAttributeValues: { ':n': count, ':s': sessionId, ':active': 'active' },
      ReturnValues: 'UPDATED_NEW',
    });
    const res = await orConflict(update, `event sequence of inspector ${inspectorId}`);
    return Number(res.Attributes?.eventSeq) - count + 1;
  }

  async recentPushed(inspectorId: string, now: number): Promise<Set<string>> {
    // Only the unexpired ones: the sort key starts with the expiry time.
    const items = await this.table.queryAll({
      KeyConditionExpression: 'pk = :p AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: {
        ':p': keys.session(inspectorId).pk,
        ':from': keys.pushedFrom(now),
        ':to': keys.pushedEnd,
      },
      ConsistentRead: true,
    });
    const out = new Set<string>();
    for (const item of items) {
      if (!Array.isArray(item.keys)) continue;
      for (const k of item.keys) if (typeof k === 'string') out.add(k);
    }
    return out;
  }

  async notePushed(inspectorId: string, ids: string[], until: number): Promise<void> {
    const puts = chunks(ids, KEYS_PER_ITEM).map((part) => ({
      PutRequest: {
        Item: {
          ...keys.pushed(inspectorId, until, randomUUID()),
          keys: part,
          until,
          ttl: ttlAfter(until, 0),
        },
      },
    }));
    await mapLimit(chunks(puts, BATCH), PARALLEL, (batch) => this.table.batchWrite(batch));
  }

  claimTurn(inspectorId: string, turn: EventTurn, owner: string, now: number, ms: number): Promise<boolean> {
    return written(
      this.#turns.put({
        Item: {
          ...keys.turn(inspectorId, turn),
          owner,
          until: now + ms,
          ttl: ttlAfter(now + ms, DAY_SECONDS),
        },
        ConditionExpression: 'attribute_not_exists(pk) OR #until < :now',
        ExpressionAttributeNames: { '#until': 'until' },
        ExpressionAttributeValues: { ':now': now },
      }),
    );
  }

  async releaseTurn(inspectorId: string, turn: EventTurn, owner: string): Promise<void> {
    // Expired and taken by another owner meanwhile: that turn is theirs to release.
    await unlessConditionFails(
      this.#turns.delete({
        Key: keys.turn(inspectorId, turn),
        ConditionExpression: '#owner = :o',
        ExpressionAttributeNames: { '#owner': 'owner' },
        ExpressionAttributeValues: { ':o': owner },
      }),
      undefined,
    );
  }
}
