import { orConflict, type RecordTable, strip, unlessConditionFails, written } from './dynamo-util';
import { ACTIVE_SESSIONS, keys } from './keys';
import { ConflictError, type SessionRecord, type SessionStore } from './types';

/**
 * Gateway sessions (`INSPECTOR#id` / `SESSION`), in the sparse index of active sessions while active.
 * Every change is conditional on the session's generation (sessionId), its version or its lease owner.
 */
export class DynamoSessionStore implements SessionStore {
  constructor(private readonly table: RecordTable) {}

  async getSession(inspectorId: string): Promise<SessionRecord | undefined> {
    const res = await this.table.get({ Key: keys.session(inspectorId), ConsistentRead: true });
    return strip<SessionRecord>(res.Item);
  }

  async startSession(rec: Omit<SessionRecord, 'version' | 'status' | 'eventSeq'>): Promise<SessionRecord> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const previous = await this.getSession(rec.inspectorId);
      const next: SessionRecord = {
        ...rec,
        status: 'active',
        version: (previous?.version ?? 0) + 1,
        eventSeq: 0,
      };
      const put = this.table.put({
        Item: { ...keys.session(rec.inspectorId), gsi1pk: ACTIVE_SESSIONS, gsi1sk: rec.inspectorId, ...next },
        ConditionExpression: previous ? 'version = :v' : 'attribute_not_exists(pk)',
        ...(previous ? { ExpressionAttributeValues: { ':v': previous.version } } : {}),
      });
      if (await written(put)) return next;
    }
    throw new ConflictError(`session of inspector ${rec.inspectorId}`);
  }

  async updateGuid(
    inspectorId: string,
    sessionId: string,
    expectedVersion: number,
    guid: string,
    at: number,
  ): Promise<number> {
    const update = this.table.update({
      Key: keys.session(inspectorId),
      UpdateExpression: 'SET guid = :g, guidUpdatedAt = :at, version = version + :one',
      ConditionExpression: 'sessionId = :s AND version = :v AND #st = :active',
      ExpressionAttributeNames: { '#st': 'status' },
      ExpressionAttributeValues: {
        ':g': guid,
        ':at': at,
        ':one': 1,
        ':s': sessionId,
        ':v': expectedVersion,
        ':active': 'active',
      },
      ReturnValues: 'UPDATED_NEW',
    });
    const res = await orConflict(update, `session of inspector ${inspectorId}`);
    return Number(res.Attributes?.version);
  }

  updateCookie(inspectorId: string, sessionId: string, cookie: string): Promise<boolean> {
    return written(
      this.table.update({
        Key: keys.session(inspectorId),
        UpdateExpression: 'SET cookie = :c',
        ConditionExpression: 'sessionId = :s AND #st = :active',
        ExpressionAttributeNames: { '#st': 'status' },
        ExpressionAttributeValues: { ':c': cookie, ':s': sessionId, ':active': 'active' },
      }),
    );
  }

  endSession(inspectorId: string, sessionId: string, reason: string, at: number): Promise<boolean> {
    return written(
      this.table.update({
        Key: keys.session(inspectorId),
        // The dead Guid is removed, not kept: it is a credential.
        UpdateExpression:
          'SET #st = :ended, endedReason = :r, endedAt = :at, version = version + :one REMOVE guid, gsi1pk, gsi1sk, leaseOwner, leaseUntil, serviceToken',
        ConditionExpression: 'sessionId = :s AND #st = :active',
        ExpressionAttributeNames: { '#st': 'status' },
        ExpressionAttributeValues: {
          ':ended': 'ended',
          ':r': reason,
          ':at': at,
          ':one': 1,
          ':s': sessionId,
          ':active': 'active',
        },
      }),
    );
  }

  async listActiveSessions(): Promise<SessionRecord[]> {
    const items = await this.table.queryAll({
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :a',
      ExpressionAttributeValues: { ':a': ACTIVE_SESSIONS },
    });
    return items
      .map((i) => strip<SessionRecord>(i) as SessionRecord)
      .filter((rec) => rec.status === 'active');
  }

  acquireLease(
    inspectorId: string,
    sessionId: string,
    owner: string,
    now: number,
    leaseMs: number,
  ): Promise<boolean> {
    return written(
      this.table.update({
        Key: keys.session(inspectorId),
        UpdateExpression: 'SET leaseOwner = :o, leaseUntil = :u',
        ConditionExpression:
          'sessionId = :s AND #st = :active AND (attribute_not_exists(leaseUntil) OR leaseUntil < :now OR leaseOwner = :o)',
        ExpressionAttributeNames: { '#st': 'status' },
        ExpressionAttributeValues: {
          ':o': owner,
          ':u': now + leaseMs,
          ':s': sessionId,
          ':active': 'active',
          ':now': now,
        },
      }),
    );
  }

  async releaseLease(inspectorId: string, owner: string): Promise<void> {
    // Expired and taken by another owner meanwhile: that lease is theirs to release.
    await unlessConditionFails(
      this.table.update({
        Key: keys.session(inspectorId),
        UpdateExpression: 'REMOVE leaseOwner, leaseUntil',
        ConditionExpression: 'leaseOwner = :o',
        ExpressionAttributeValues: { ':o': owner },
      }),
      undefined,
    );
  }

  async nextEventSeq(inspectorId: string, sessionId: string, owner?: string): Promise<number> {
    const update = this.table.update({
      Key: keys.session(inspectorId),
      UpdateExpression: 'SET eventSeq = eventSeq + :one',
      ConditionExpression: owner ? 'sessionId = :s AND leaseOwner = :o' : 'sessionId = :s AND #st = :active',
      ...(owner ? {} : { ExpressionAttributeNames: { '#st': 'status' } }),
      ExpressionAttributeValues: owner
        ? { ':one': 1, ':s': sessionId, ':o': owner }
        : { ':one': 1, ':s': sessionId, ':active': 'active' },
      ReturnValues: 'UPDATED_NEW',
    });
    const res = await orConflict(update, `event lease of inspector ${inspectorId}`);
    return Number(res.Attributes?.eventSeq);
  }
}
