import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoAlertStore } from './dynamo-alerts';
import { DynamoAuditStore } from './dynamo-audit';
import { DynamoEventStore } from './dynamo-events';
import { DynamoGatewayFactsStore } from './dynamo-facts';
import { DynamoFloorStore } from './dynamo-floors';
import { DynamoIdempotencyStore } from './dynamo-idempotency';
import { DynamoLinkStore } from './dynamo-links';
import { DynamoMonitoringStore } from './dynamo-monitoring';
import { DynamoPostStore } from './dynamo-posts';
import { DynamoSessionStore } from './dynamo-sessions';
import { RecordTable } from './dynamo-util';
import type {
  AlertStore,
  AuditStore,
  EventStore,
  FloorStore,
  GatewayFactsStore,
  IdempotencyStore,
  LinkStore,
  MonitoringStore,
  SessionStore,
  Store,
  StoreRecord,
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

/**
 * The whole persistence layer on one DynamoDB table (pk/sk, sparse GSI `gsi1`, TTL `ttl`): one store
 * per kind of record (dynamo-*.ts), composed here behind the one `Store` the app depends on.
 */
export class DynamoStore implements Store {
  readonly #links: LinkStore;
  readonly #facts: GatewayFactsStore;
  readonly #sessions: SessionStore;
  readonly #monitoring: MonitoringStore;
  readonly #idempotency: IdempotencyStore;
  readonly #audit: AuditStore;
  readonly #events: EventStore;

  readonly alerts: AlertStore;
  /** Open floors (messages and Home tabs the keeper keeps live). */
  readonly floors: FloorStore;
  /** Channel messages Slack has not taken yet (the notifier keeps them, the keeper posts them). */
  readonly posts: DynamoPostStore;

  constructor(opts: DynamoStoreOptions) {
    const client = opts.client ?? new DynamoDBClient(opts.clientConfig ?? {});
    const doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
    const table = (record: StoreRecord) => new RecordTable(doc, opts.tableName, record);
    this.#links = new DynamoLinkStore(table('link'));
    this.#facts = new DynamoGatewayFactsStore(table('gateway-facts'));
    this.#sessions = new DynamoSessionStore(table('session'));
    this.#monitoring = new DynamoMonitoringStore(table('monitoring'), opts.now ?? Date.now);
    this.#idempotency = new DynamoIdempotencyStore(table('idempotency'));
    this.#audit = new DynamoAuditStore(table('audit'), opts.auditRetentionDays ?? 90);
    this.#events = new DynamoEventStore(table('event'));
    this.alerts = new DynamoAlertStore(table('alert'), opts.alertRetentionDays ?? 30);
    this.floors = new DynamoFloorStore(table('floor'));
    this.posts = new DynamoPostStore(table('kept-post'));
  }

  // ── links ──
  getLink(...a: Parameters<LinkStore['getLink']>) {
    return this.#links.getLink(...a);
  }
  putLink(...a: Parameters<LinkStore['putLink']>) {
    return this.#links.putLink(...a);
  }
  setPermissions(...a: Parameters<LinkStore['setPermissions']>) {
    return this.#links.setPermissions(...a);
  }
  deleteLink(...a: Parameters<LinkStore['deleteLink']>) {
    return this.#links.deleteLink(...a);
  }

  // ── what was learned about the gateway ──
  noteGatewayFallback(...a: Parameters<GatewayFactsStore['noteGatewayFallback']>) {
    return this.#facts.noteGatewayFallback(...a);
  }
  getGatewayFallbacks() {
    return this.#facts.getGatewayFallbacks();
  }

  // ── gateway sessions ──
  getSession(...a: Parameters<SessionStore['getSession']>) {
    return this.#sessions.getSession(...a);
  }
  startSession(...a: Parameters<SessionStore['startSession']>) {
    return this.#sessions.startSession(...a);
  }
  updateGuid(...a: Parameters<SessionStore['updateGuid']>) {
    return this.#sessions.updateGuid(...a);
  }
  updateCookie(...a: Parameters<SessionStore['updateCookie']>) {
    return this.#sessions.updateCookie(...a);
  }
  endSession(...a: Parameters<SessionStore['endSession']>) {
    return this.#sessions.endSession(...a);
  }
  listActiveSessions() {
    return this.#sessions.listActiveSessions();
  }
  acquireLease(...a: Parameters<SessionStore['acquireLease']>) {
    return this.#sessions.acquireLease(...a);
  }
  releaseLease(...a: Parameters<SessionStore['releaseLease']>) {
    return this.#sessions.releaseLease(...a);
  }
  nextEventSeq(...a: Parameters<SessionStore['nextEventSeq']>) {
    return this.#sessions.nextEventSeq(...a);
  }

  // ── monitoring state ──
  getMonitoring(...a: Parameters<MonitoringStore['getMonitoring']>) {
    return this.#monitoring.getMonitoring(...a);
  }
  putMonitoring(...a: Parameters<MonitoringStore['putMonitoring']>) {
    return this.#monitoring.putMonitoring(...a);
  }
  listMonitoring(...a: Parameters<MonitoringStore['listMonitoring']>) {
    return this.#monitoring.listMonitoring(...a);
  }

  // ── idempotency ──
  claim(...a: Parameters<IdempotencyStore['claim']>) {
    return this.#idempotency.claim(...a);
  }
  finish(...a: Parameters<IdempotencyStore['finish']>) {
    return this.#idempotency.finish(...a);
  }
  release(...a: Parameters<IdempotencyStore['release']>) {
    return this.#idempotency.release(...a);
  }
  takeOver(...a: Parameters<IdempotencyStore['takeOver']>) {
    return this.#idempotency.takeOver(...a);
  }

  // ── audit ──
  record(...a: Parameters<AuditStore['record']>) {
    return this.#audit.record(...a);
  }
  listDay(...a: Parameters<AuditStore['listDay']>) {
    return this.#audit.listDay(...a);
  }
  listDays(...a: Parameters<AuditStore['listDays']>) {
    return this.#audit.listDays(...a);
  }

  // ── pending events (thread replies not yet posted), pushed-event keys, turns ──
  savePending(...a: Parameters<EventStore['savePending']>) {
    return this.#events.savePending(...a);
  }
  savePendingMany(...a: Parameters<EventStore['savePendingMany']>) {
    return this.#events.savePendingMany(...a);
  }
  listPending(...a: Parameters<EventStore['listPending']>) {
    return this.#events.listPending(...a);
  }
  markPosted(...a: Parameters<EventStore['markPosted']>) {
    return this.#events.markPosted(...a);
  }
  markPostedMany(...a: Parameters<EventStore['markPostedMany']>) {
    return this.#events.markPostedMany(...a);
  }
  reserveEventSeqs(...a: Parameters<EventStore['reserveEventSeqs']>) {
    return this.#events.reserveEventSeqs(...a);
  }
  recentPushed(...a: Parameters<EventStore['recentPushed']>) {
    return this.#events.recentPushed(...a);
  }
  notePushed(...a: Parameters<EventStore['notePushed']>) {
    return this.#events.notePushed(...a);
  }
  claimTurn(...a: Parameters<EventStore['claimTurn']>) {
    return this.#events.claimTurn(...a);
  }
  releaseTurn(...a: Parameters<EventStore['releaseTurn']>) {
    return this.#events.releaseTurn(...a);
  }
}
