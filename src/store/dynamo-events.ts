import { randomUUID } from 'node:crypto';
import {
  BatchWriteCommand,
  DeleteCommand,
  type DynamoDBDocumentClient,
  PutCommand,
  type QueryCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { isConditionFailure, strip } from './dynamo-util';
import { DAY_SECONDS, keys, ttlAfter } from './keys';
import { ConflictError, type EventTurn, type PendingEvent } from './types';

/** DynamoDB's BatchWriteItem limit. */
const BATCH = 25;
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

/** Pushed events' bookkeeping: packed pending items, deduplication keys, turns. */
export class DynamoEventStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly queryAll: (
      input: Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey'>,
    ) => Promise<Record<string, unknown>[]>,
  ) {}

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
    await mapLimit(chunks(puts, BATCH), PARALLEL, (batch) => this.#batchWrite(batch));
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
    await mapLimit(chunks(deletes, BATCH), PARALLEL, (batch) => this.#batchWrite(batch));
  }

  /** One BatchWriteItem, with its unprocessed items sent again (a few times, backing off). */
  async #batchWrite(requests: Record<string, unknown>[]): Promise<void> {
    let left = requests;
    for (let attempt = 0; left.length > 0; attempt++) {
      if (attempt > 5) throw new Error(`DynamoDB left ${left.length} writes unprocessed`);
      if (attempt > 0) await new Promise((r) => setTimeout(r, 25 * 2 ** attempt));
      const res = await this.doc.send(new BatchWriteCommand({ RequestItems: { [this.table]: left } }));
      left = (res.UnprocessedItems?.[this.table] as Record<string, unknown>[] | undefined) ?? [];
    }
  }

  async reserveEventSeqs(inspectorId: string, sessionId: string, count: number): Promise<number> {
    try {
      const res = await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.session(inspectorId),
          UpdateExpression: 'SET eventSeq = eventSeq + :n',
          ConditionExpression: 'sessionId = :s AND #st = :active',
          ExpressionAttributeNames: { '#st': 'status' },
          ExpressionAttributeValues: { ':n': count, ':s': sessionId, ':active': 'active' },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      return Number(res.Attributes?.eventSeq) - count + 1;
    } catch (err) {
      if (isConditionFailure(err)) throw new ConflictError(`event sequence of inspector ${inspectorId}`);
      throw err;
    }
  }

  async recentPushed(inspectorId: string, now: number): Promise<Set<string>> {
    // Only the unexpired ones: the sort key starts with the expiry time.
    const items = await this.queryAll({
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
    await mapLimit(chunks(puts, BATCH), PARALLEL, (batch) => this.#batchWrite(batch));
  }

  async claimTurn(
    inspectorId: string,
    turn: EventTurn,
    owner: string,
    now: number,
    ms: number,
  ): Promise<boolean> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.table,
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
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      throw err;
    }
  }

  async releaseTurn(inspectorId: string, turn: EventTurn, owner: string): Promise<void> {
    await this.doc
      .send(
        new DeleteCommand({
          TableName: this.table,
          Key: keys.turn(inspectorId, turn),
          ConditionExpression: '#owner = :o',
          ExpressionAttributeNames: { '#owner': 'owner' },
          ExpressionAttributeValues: { ':o': owner },
        }),
      )
      .catch((err: unknown) => {
        // Expired and taken by another owner meanwhile: that turn is theirs to release.
        if (!isConditionFailure(err)) throw err;
      });
  }
}
