import { randomBytes } from 'node:crypto';
import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { DynamoAlertStore } from './dynamo-alerts';
import { DynamoEventStore } from './dynamo-events';
import { DynamoPostStore } from './dynamo-posts';
import { isConditionFailure, strip } from './dynamo-util';
import { ACTIVE_SESSIONS, DAY_SECONDS, dayOf, keys, ttlAfter } from './keys';
import {
  type AlertStore,
  type AuditEntry,
  ConflictError,
  type EventTurn,
  type GatewayFallback,
  type IdempotencyState,
  type InspectorLink,
  type MonitoringRecord,
  type PendingEvent,
  type SessionRecord,
  type Store,
} from './types';

export interface DynamoStoreOptions {
  tableName: string;
  client?: DynamoDBClient;
  clientConfig?: DynamoDBClientConfig;
  /** How long audit rows are kept (days). Default 90. */
  auditRetentionDays?: number;
  /** How long alert records are kept (days). Default 30. */
  alertRetentionDays?: number;
  /** Clock for TTL stamps (tests). */
  now?: () => number;
}

/** The whole persistence layer on one DynamoDB table (pk/sk, sparse GSI `gsi1`, TTL `ttl`). */
export class DynamoStore implements Store {
  readonly #doc: DynamoDBDocumentClient;
  readonly #table: string;
  readonly #auditDays: number;
  readonly #now: () => number;
  readonly #events: DynamoEventStore;

  readonly alerts: AlertStore;
  /** Channel messages Slack has not taken yet (the notifier keeps them, the keeper posts them). */
  readonly posts: DynamoPostStore;

  constructor(opts: DynamoStoreOptions) {
    const client = opts.client ?? new DynamoDBClient(opts.clientConfig ?? {});
    this.#doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
    this.#table = opts.tableName;
    this.alerts = new DynamoAlertStore(this.#doc, this.#table, opts.alertRetentionDays ?? 30);
    this.posts = new DynamoPostStore(this.#doc, this.#table);
    this.#auditDays = opts.auditRetentionDays ?? 90;
    this.#now = opts.now ?? Date.now;
    this.#events = new DynamoEventStore(this.#doc, this.#table, (input) => this.#queryAll(input));
  }

  // ── links ──────────────────────────────────────────────────────────────────────────────

  async getLink(teamId: string, userId: string): Promise<InspectorLink | undefined> {
    const res = await this.#doc.send(
      new GetCommand({ TableName: this.#table, Key: keys.link(teamId, userId) }),
    );
    return strip<InspectorLink>(res.Item);
  }

  async putLink(link: InspectorLink): Promise<void> {
    // Claim the inspector ID for this Slack user first (one owner per inspector per team)…
    try {
      await this.#doc.send(
        new PutCommand({
          TableName: this.#table,
          Item: { ...keys.linkOwner(link.teamId, link.inspectorId), userId: link.userId },
          ConditionExpression: 'attribute_not_exists(pk) OR userId = :u',
          ExpressionAttributeValues: { ':u': link.userId },
        }),
      );
    } catch (err) {
      if (isConditionFailure(err)) throw new ConflictError(`inspector ${link.inspectorId}`);
      throw err;
    }
    // …then write the link; a previous link of this user to another inspector frees that claim.
    const previous = await this.getLink(link.teamId, link.userId);
    const permissions = link.permissions ?? previous?.permissions;
    await this.#doc.send(
      new PutCommand({
        TableName: this.#table,
        Item: { ...keys.link(link.teamId, link.userId), ...link, ...(permissions ? { permissions } : {}) },
      }),
    );
    if (previous && previous.inspectorId !== link.inspectorId) await this.#releaseOwner(previous);
  }

  async setPermissions(
    teamId: string,
    userId: string,
    permissions: string[],
  ): Promise<InspectorLink | undefined> {
    try {
      const res = await this.#doc.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: keys.link(teamId, userId),
          UpdateExpression: 'SET #perm = :p',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: { '#perm': 'permissions' },
          ExpressionAttributeValues: { ':p': permissions },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return strip<InspectorLink>(res.Attributes);
    } catch (err) {
      if (isConditionFailure(err)) return undefined;
      throw err;
    }
  }

  async deleteLink(teamId: string, userId: string): Promise<InspectorLink | undefined> {
    const res = await this.#doc.send(
      new DeleteCommand({ TableName: this.#table, Key: keys.link(teamId, userId), ReturnValues: 'ALL_OLD' }),
    );
    const old = strip<InspectorLink>(res.Attributes);
    if (old) await this.#releaseOwner(old);
    return old;
  }

  async #releaseOwner(link: InspectorLink): Promise<void> {
    await this.#doc
      .send(
        new DeleteCommand({
          TableName: this.#table,
          Key: keys.linkOwner(link.teamId, link.inspectorId),
          ConditionExpression: 'userId = :u',
          ExpressionAttributeValues: { ':u': link.userId },
        }),
      )
      .catch((err: unknown) => {
        if (!isConditionFailure(err)) throw err;
      });
  }

  // ── gateway sessions ───────────────────────────────────────────────────────────────────

  async getSession(inspectorId: string): Promise<SessionRecord | undefined> {
    const res = await this.#doc.send(
      new GetCommand({ TableName: this.#table, Key: keys.session(inspectorId), ConsistentRead: true }),
    );
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
      try {
        await this.#doc.send(
          new PutCommand({
            TableName: this.#table,
            Item: {
              ...keys.session(rec.inspectorId),
              gsi1pk: ACTIVE_SESSIONS,
              gsi1sk: rec.inspectorId,
              ...next,
            },
            ConditionExpression: previous ? 'version = :v' : 'attribute_not_exists(pk)',
            ...(previous ? { ExpressionAttributeValues: { ':v': previous.version } } : {}),
          }),
        );
        return next;
      } catch (err) {
        if (!isConditionFailure(err)) throw err;
      }
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
    try {
      const res = await this.#doc.send(
        new UpdateCommand({
          TableName: this.#table,
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
        }),
      );
      return Number(res.Attributes?.version);
    } catch (err) {
      if (isConditionFailure(err)) throw new ConflictError(`session of inspector ${inspectorId}`);
      throw err;
    }
  }

  async noteGatewayFallback(fallback: GatewayFallback, at: number): Promise<void> {
    await this.#doc.send(
      new UpdateCommand({
        TableName: this.#table,
        Key: keys.gatewayFallbacks(),
        // The first time it was needed is kept: later notes change nothing.
        UpdateExpression: 'SET #f = if_not_exists(#f, :at)',
        ExpressionAttributeNames: { '#f': fallback },
        ExpressionAttributeValues: { ':at': at },
      }),
    );
  }

  async getGatewayFallbacks(): Promise<Partial<Record<GatewayFallback, number>>> {
    const res = await this.#doc.send(
      new GetCommand({ TableName: this.#table, Key: keys.gatewayFallbacks() }),
    );
    const item = strip<Record<string, unknown>>(res.Item) ?? {};
    return 'no-handshake' in item ? { 'no-handshake': Number(item['no-handshake']) } : {};
  }

  async updateCookie(inspectorId: string, sessionId: string, cookie: string): Promise<boolean> {
    try {
      await this.#doc.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: keys.session(inspectorId),
          UpdateExpression: 'SET cookie = :c',
          ConditionExpression: 'sessionId = :s AND #st = :active',
          ExpressionAttributeNames: { '#st': 'status' },
          ExpressionAttributeValues: { ':c': cookie, ':s': sessionId, ':active': 'active' },
        }),
      );
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      throw err;
    }
  }

  async endSession(inspectorId: string, sessionId: string, reason: string, at: number): Promise<boolean> {
    try {
      await this.#doc.send(
        new UpdateCommand({
          TableName: this.#table,
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
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      throw err;
    }
  }

  async listActiveSessions(): Promise<SessionRecord[]> {
    const items = await this.#queryAll({
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :a',
      ExpressionAttributeValues: { ':a': ACTIVE_SESSIONS },
    });
    return items
      .map((i) => strip<SessionRecord>(i) as SessionRecord)
      .filter((rec) => rec.status === 'active');
  }

  async acquireLease(
    inspectorId: string,
    sessionId: string,
    owner: string,
    now: number,
    leaseMs: number,
  ): Promise<boolean> {
    try {
      await this.#doc.send(
        new UpdateCommand({
          TableName: this.#table,
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
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      throw err;
    }
  }

  async releaseLease(inspectorId: string, owner: string): Promise<void> {
    await this.#doc
      .send(
        new UpdateCommand({
          TableName: this.#table,
          Key: keys.session(inspectorId),
          UpdateExpression: 'REMOVE leaseOwner, leaseUntil',
          ConditionExpression: 'leaseOwner = :o',
          ExpressionAttributeValues: { ':o': owner },
        }),
      )
      .catch((err: unknown) => {
        if (!isConditionFailure(err)) throw err;
      });
  }

  async nextEventSeq(inspectorId: string, sessionId: string, owner?: string): Promise<number> {
    try {
      const res = await this.#doc.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: keys.session(inspectorId),
          UpdateExpression: 'SET eventSeq = eventSeq + :one',
          ConditionExpression: owner
            ? 'sessionId = :s AND leaseOwner = :o'
            : 'sessionId = :s AND #st = :active',
          ...(owner ? {} : { ExpressionAttributeNames: { '#st': 'status' } }),
          ExpressionAttributeValues: owner
            ? { ':one': 1, ':s': sessionId, ':o': owner }
            : { ':one': 1, ':s': sessionId, ':active': 'active' },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      return Number(res.Attributes?.eventSeq);
    } catch (err) {
      if (isConditionFailure(err)) throw new ConflictError(`event lease of inspector ${inspectorId}`);
      throw err;
    }
  }

  // ── monitoring state ───────────────────────────────────────────────────────────────────

  async getMonitoring(inspectorId: string): Promise<MonitoringRecord | undefined> {
    const res = await this.#doc.send(
      new GetCommand({ TableName: this.#table, Key: keys.monitoring(inspectorId), ConsistentRead: true }),
    );
    return strip<MonitoringRecord>(res.Item);
  }

  async putMonitoring(rec: Omit<MonitoringRecord, 'version'>, expectedVersion: number): Promise<number> {
    const version = expectedVersion + 1;
    try {
      await this.#doc.send(
        new PutCommand({
          TableName: this.#table,
          Item: {
            ...keys.monitoring(rec.inspectorId),
            ...rec,
            // Sparse index of who monitors whom right now (`/qc who`).
            ...(rec.agentId
              ? { gsi1pk: keys.monitoringIndex(rec.teamId), gsi1sk: `${rec.agentId}#${rec.inspectorId}` }
              : {}),
            version,
            ttl: ttlAfter(this.#now(), 7 * DAY_SECONDS),
          },
          ConditionExpression: expectedVersion === 0 ? 'attribute_not_exists(pk)' : 'version = :v',
          ...(expectedVersion === 0 ? {} : { ExpressionAttributeValues: { ':v': expectedVersion } }),
        }),
      );
      return version;
    } catch (err) {
      if (isConditionFailure(err))
        throw new ConflictError(`monitoring state of inspector ${rec.inspectorId}`);
      throw err;
    }
  }

  async listMonitoring(teamId: string, agentId?: string): Promise<MonitoringRecord[]> {
    const items = await this.#queryAll({
      IndexName: 'gsi1',
      KeyConditionExpression: agentId ? 'gsi1pk = :p AND begins_with(gsi1sk, :a)' : 'gsi1pk = :p',
      ExpressionAttributeValues: {
        ':p': keys.monitoringIndex(teamId),
        ...(agentId ? { ':a': `${agentId}#` } : {}),
      },
    });
    return items
      .map((i) => strip<MonitoringRecord>(i) as MonitoringRecord)
      .filter((m) => m.agentId && (!agentId || m.agentId === agentId));
  }

  // ── idempotency ────────────────────────────────────────────────────────────────────────

  async claim(key: string, now: number, ttlSeconds: number): Promise<IdempotencyState> {
    try {
      await this.#doc.send(
        new PutCommand({
          TableName: this.#table,
          Item: {
            ...keys.idempotency(key),
            state: 'in-progress',
            startedAt: now,
            ttl: ttlAfter(now, ttlSeconds),
          },
          // An expired claim (TTL deletion is lazy) may be taken again.
          ConditionExpression: 'attribute_not_exists(pk) OR #ttl < :nowSec',
          ExpressionAttributeNames: { '#ttl': 'ttl' },
          ExpressionAttributeValues: { ':nowSec': Math.floor(now / 1000) },
        }),
      );
      return { state: 'new' };
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
    }
    const res = await this.#doc.send(
      new GetCommand({ TableName: this.#table, Key: keys.idempotency(key), ConsistentRead: true }),
    );
    const item = res.Item ?? {};
    if (item.state === 'done')
      return { state: 'done', result: (item.result as Record<string, unknown>) ?? {} };
    return { state: 'in-progress', startedAt: Number(item.startedAt ?? now) };
  }

  async finish(key: string, result: Record<string, unknown>): Promise<void> {
    await this.#doc.send(
      new UpdateCommand({
        TableName: this.#table,
        Key: keys.idempotency(key),
        UpdateExpression: 'SET #state = :done, #result = :r',
        ExpressionAttributeNames: { '#state': 'state', '#result': 'result' },
        ExpressionAttributeValues: { ':done': 'done', ':r': result },
      }),
    );
  }

  async takeOver(key: string, startedAt: number, now: number): Promise<boolean> {
    try {
      await this.#doc.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: keys.idempotency(key),
          UpdateExpression: 'SET #started = :now, #takenOver = :old',
          ConditionExpression: '#state = :p AND #started = :old',
          ExpressionAttributeNames: {
            '#state': 'state',
            '#started': 'startedAt',
            '#takenOver': 'takenOverFrom',
          },
          ExpressionAttributeValues: { ':p': 'in-progress', ':old': startedAt, ':now': now },
        }),
      );
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      throw err;
    }
  }

  async release(key: string): Promise<void> {
    await this.#doc
      .send(
        new DeleteCommand({
          TableName: this.#table,
          Key: keys.idempotency(key),
          ConditionExpression: '#state = :p',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':p': 'in-progress' },
        }),
      )
      .catch((err: unknown) => {
        if (!isConditionFailure(err)) throw err;
      });
  }

  // ── audit ──────────────────────────────────────────────────────────────────────────────

  async record(entry: AuditEntry): Promise<void> {
    await this.#doc.send(
      new PutCommand({
        TableName: this.#table,
        Item: {
          pk: keys.audit(entry.teamId, dayOf(entry.at)),
          sk: `${new Date(entry.at).toISOString()}#${randomBytes(4).toString('hex')}`,
          ...entry,
          ttl: ttlAfter(entry.at, this.#auditDays * DAY_SECONDS),
        },
      }),
    );
  }

  async listDay(teamId: string, day: string): Promise<AuditEntry[]> {
    const items = await this.#queryAll({
      KeyConditionExpression: 'pk = :p',
      ExpressionAttributeValues: { ':p': keys.audit(teamId, day) },
    });
    return items.map((i) => strip<AuditEntry>(i) as AuditEntry);
  }

  async listDays(teamId: string, days: string[]): Promise<AuditEntry[]> {
    const perDay = await Promise.all([...new Set(days)].map((day) => this.listDay(teamId, day)));
    return perDay.flat().sort((a, b) => b.at - a.at);
  }

  // ── pending events (thread replies not yet posted) ─────────────────────────────────────

  async savePending(ev: PendingEvent): Promise<void> {
    await this.#doc
      .send(
        new PutCommand({
          TableName: this.#table,
          Item: {
            ...keys.event(ev.inspectorId, ev.sessionId, ev.seq),
            ...ev,
            ttl: ttlAfter(ev.receivedAt, DAY_SECONDS),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      )
      .catch((err: unknown) => {
        if (!isConditionFailure(err)) throw err;
      });
  }

  async listPending(inspectorId: string, sessionId: string): Promise<PendingEvent[]> {
    const items = await this.#queryAll({
      KeyConditionExpression: 'pk = :p AND begins_with(sk, :e)',
      ExpressionAttributeValues: { ':p': keys.session(inspectorId).pk, ':e': keys.eventPrefix(sessionId) },
      ConsistentRead: true,
    });
    return items.flatMap((i) => DynamoEventStore.unpack(i));
  }

  async markPosted(inspectorId: string, sessionId: string, seq: number): Promise<void> {
    await this.#doc.send(
      new DeleteCommand({ TableName: this.#table, Key: keys.event(inspectorId, sessionId, seq) }),
    );
  }

  savePendingMany(events: PendingEvent[]): Promise<void> {
    return this.#events.savePendingMany(events);
  }

  markPostedMany(events: PendingEvent[]): Promise<void> {
    return this.#events.markPostedMany(events);
  }

  reserveEventSeqs(inspectorId: string, sessionId: string, count: number): Promise<number> {
    return this.#events.reserveEventSeqs(inspectorId, sessionId, count);
  }

  recentPushed(inspectorId: string, now: number): Promise<Set<string>> {
    return this.#events.recentPushed(inspectorId, now);
  }

  notePushed(inspectorId: string, ids: string[], until: number): Promise<void> {
    return this.#events.notePushed(inspectorId, ids, until);
  }

  claimTurn(inspectorId: string, turn: EventTurn, owner: string, now: number, ms: number): Promise<boolean> {
    return this.#events.claimTurn(inspectorId, turn, owner, now, ms);
  }

  releaseTurn(inspectorId: string, turn: EventTurn, owner: string): Promise<void> {
    return this.#events.releaseTurn(inspectorId, turn, owner);
  }

  /** Every item of a query, following LastEvaluatedKey page by page. */
  async #queryAll(
    input: Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey'>,
  ): Promise<Record<string, unknown>[]> {
    const out: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const res = await this.#doc.send(
        new QueryCommand({
          ...input,
          TableName: this.#table,
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      out.push(...(res.Items ?? []));
      start = res.LastEvaluatedKey;
    } while (start);
    return out;
  }
}
