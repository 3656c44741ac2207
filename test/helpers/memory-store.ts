import {
  type AlertRecord,
  type AlertStore,
  type AuditEntry,
  ConflictError,
  type EventTurn,
  type FloorRecord,
  type FloorStore,
  type GatewayFallback,
  type IdempotencyState,
  type InspectorLink,
  type MonitoringRecord,
  type PendingEvent,
  type SessionRecord,
  type Store,
} from '../../src/store/types';

const clone = <T>(v: T): T => structuredClone(v);
const day = (at: number) => new Date(at).toISOString().slice(0, 10);

/** Alerts in memory, versioned as the DynamoDB store does (a stale version is a ConflictError). */
class MemoryAlerts implements AlertStore {
  readonly rows = new Map<string, AlertRecord>();

  async putAlert(rec: Omit<AlertRecord, 'version'>): Promise<void> {
    if (this.rows.has(rec.alertId)) throw new ConflictError(`alert ${rec.alertId}`);
    this.rows.set(rec.alertId, { ...clone(rec), version: 1 });
  }
  async getAlert(alertId: string): Promise<AlertRecord | undefined> {
    const rec = this.rows.get(alertId);
    return rec ? clone(rec) : undefined;
  }
  async saveAlert(rec: AlertRecord): Promise<AlertRecord> {
    if (this.rows.get(rec.alertId)?.version !== rec.version) throw new ConflictError(`alert ${rec.alertId}`);
    const saved = { ...clone(rec), version: rec.version + 1 };
    this.rows.set(rec.alertId, saved);
    return clone(saved);
  }
}

/** Open floors in memory, versioned as the DynamoDB store does. */
class MemoryFloors implements FloorStore {
  readonly rows = new Map<string, FloorRecord>();
  readonly #key = (teamId: string, floorId: string) => `${teamId}#${floorId}`;

  async putFloor(rec: Omit<FloorRecord, 'version'>): Promise<FloorRecord> {
    const key = this.#key(rec.teamId, rec.floorId);
    const next = { ...clone(rec), version: (this.rows.get(key)?.version ?? 0) + 1 };
    this.rows.set(key, next);
    return clone(next);
  }
  async getFloor(teamId: string, floorId: string): Promise<FloorRecord | undefined> {
    const rec = this.rows.get(this.#key(teamId, floorId));
    return rec ? clone(rec) : undefined;
  }
  async listFloors(inspectorId: string): Promise<FloorRecord[]> {
    return [...this.rows.values()].filter((r) => r.inspectorId === inspectorId).map(clone);
  }
  async updateFloor(
    rec: FloorRecord,
    change: Partial<Pick<FloorRecord, 'page' | 'openedAt'>> & { pausedAt?: number | null },
  ): Promise<boolean> {
    const key = this.#key(rec.teamId, rec.floorId);
    if (this.rows.get(key)?.version !== rec.version) return false;
    const { pausedAt, ...rest } = change;
    const next: FloorRecord = { ...clone(rec), ...rest, version: rec.version + 1 };
    if (pausedAt === null) delete next.pausedAt;
    else if (pausedAt !== undefined) next.pausedAt = pausedAt;
    this.rows.set(key, next);
    return true;
  }
  async deleteFloor(teamId: string, floorId: string): Promise<void> {
    this.rows.delete(this.#key(teamId, floorId));
  }
}

/**
 * The whole `Store` in memory, for unit tests of qc/: the same contracts as `store/dynamo.ts`
 * (versioned monitoring and alerts, sessions that end once, leases and turns by owner), no I/O.
 * Every read returns a copy, so a test can't change a record behind the code's back. `beforePutMonitoring`
 * runs before each monitoring write: a test writes there what "the keeper wrote meanwhile".
 */
export class MemoryStore implements Store {
  readonly alerts = new MemoryAlerts();
  readonly floors = new MemoryFloors();
  readonly links = new Map<string, InspectorLink>();
  readonly sessions = new Map<string, SessionRecord>();
  readonly monitoring = new Map<string, MonitoringRecord>();
  readonly audits: AuditEntry[] = [];
  readonly pending = new Map<string, PendingEvent>();
  readonly claims = new Map<string, IdempotencyState>();
  readonly leases = new Map<string, { owner: string; until: number }>();
  readonly turns = new Map<string, { owner: string; until: number }>();
  readonly pushed = new Map<string, number>();
  readonly facts: Partial<Record<GatewayFallback, number>> = {};
  /** Monitoring writes made (after the version check passed), in order. */
  readonly monitoringWrites: MonitoringRecord[] = [];
  beforePutMonitoring?: (inspectorId: string) => void;

  // ── links ──
  async getLink(teamId: string, userId: string) {
    const link = this.links.get(`${teamId}/${userId}`);
    return link ? clone(link) : undefined;
  }
  async setPermissions(teamId: string, userId: string, permissions: string[]) {
    const link = this.links.get(`${teamId}/${userId}`);
    if (!link) return undefined;
    link.permissions = [...permissions];
    return clone(link);
  }
  async putLink(link: InspectorLink): Promise<void> {
    for (const other of this.links.values())
      if (
        other.teamId === link.teamId &&
        other.inspectorId === link.inspectorId &&
        other.userId !== link.userId
      )
        throw new ConflictError(`inspector ${link.inspectorId}`);
    this.links.set(`${link.teamId}/${link.userId}`, clone(link));
  }
  async deleteLink(teamId: string, userId: string) {
    const link = this.links.get(`${teamId}/${userId}`);
    this.links.delete(`${teamId}/${userId}`);
    return link;
  }

  // ── sessions ──
  async getSession(inspectorId: string) {
    const s = this.sessions.get(inspectorId);
    return s ? clone(s) : undefined;
  }
  async startSession(rec: Omit<SessionRecord, 'version' | 'status' | 'eventSeq'>): Promise<SessionRecord> {
    const version = (this.sessions.get(rec.inspectorId)?.version ?? 0) + 1;
    const s: SessionRecord = { ...clone(rec), status: 'active', version, eventSeq: 0 };
    this.sessions.set(rec.inspectorId, s);
    return clone(s);
  }
  #live(inspectorId: string, sessionId: string): SessionRecord | undefined {
    const s = this.sessions.get(inspectorId);
    return s?.status === 'active' && s.sessionId === sessionId ? s : undefined;
  }
  async updateGuid(inspectorId: string, sessionId: string, expected: number, guid: string, at: number) {
    const s = this.#live(inspectorId, sessionId);
    if (!s || s.version !== expected) throw new ConflictError(`session ${inspectorId}`);
    Object.assign(s, { guid, guidUpdatedAt: at, version: s.version + 1 });
    return s.version;
  }
  async updateCookie(inspectorId: string, sessionId: string, cookie: string) {
    const s = this.#live(inspectorId, sessionId);
    if (s) s.cookie = cookie;
    return Boolean(s);
  }
  async endSession(inspectorId: string, sessionId: string, reason: string, at: number) {
    const s = this.#live(inspectorId, sessionId);
    if (!s) return false;
    Object.assign(s, { status: 'ended', endedReason: reason, endedAt: at, version: s.version + 1 });
    return true;
  }
  async listActiveSessions() {
    return [...this.sessions.values()].filter((s) => s.status === 'active').map(clone);
  }
  async acquireLease(inspectorId: string, sessionId: string, owner: string, now: number, ms: number) {
    const held = this.leases.get(inspectorId);
    if (!this.#live(inspectorId, sessionId) || (held && held.owner !== owner && held.until > now))
      return false;
    this.leases.set(inspectorId, { owner, until: now + ms });
    return true;
  }
  async releaseLease(inspectorId: string, owner: string) {
    if (this.leases.get(inspectorId)?.owner === owner) this.leases.delete(inspectorId);
  }
  async nextEventSeq(inspectorId: string, sessionId: string, owner?: string) {
    const s = this.#live(inspectorId, sessionId);
    if (!s || (owner !== undefined && this.leases.get(inspectorId)?.owner !== owner))
      throw new ConflictError(`session ${inspectorId}`);
    return ++s.eventSeq;
  }

  // ── monitoring ──
  async getMonitoring(inspectorId: string) {
    const m = this.monitoring.get(inspectorId);
    return m ? clone(m) : undefined;
  }
  async putMonitoring(rec: Omit<MonitoringRecord, 'version'>, expectedVersion: number) {
    this.beforePutMonitoring?.(rec.inspectorId);
    const version = this.monitoring.get(rec.inspectorId)?.version ?? 0;
    if (version !== expectedVersion) throw new ConflictError(`monitoring of ${rec.inspectorId}`);
    const saved = { ...clone(rec), version: version + 1 };
    this.monitoring.set(rec.inspectorId, saved);
    this.monitoringWrites.push(clone(saved));
    return saved.version;
  }
  async listMonitoring(teamId: string, agentId?: string) {
    return [...this.monitoring.values()]
      .filter((m) => m.teamId === teamId && m.agentId && (agentId === undefined || m.agentId === agentId))
      .map(clone);
  }

  // ── idempotency ──
  async claim(key: string, now: number): Promise<IdempotencyState> {
    const held = this.claims.get(key);
    if (held) return clone(held);
    this.claims.set(key, { state: 'in-progress', startedAt: now });
    return { state: 'new' };
  }
  async finish(key: string, result: Record<string, unknown>) {
    this.claims.set(key, { state: 'done', result: clone(result) });
  }
  async release(key: string) {
    if (this.claims.get(key)?.state === 'in-progress') this.claims.delete(key);
  }
  async takeOver(key: string, startedAt: number, now: number) {
    const held = this.claims.get(key);
    if (held?.state !== 'in-progress' || held.startedAt !== startedAt) return false;
    this.claims.set(key, { state: 'in-progress', startedAt: now });
    return true;
  }

  // ── audit ──
  async record(entry: AuditEntry) {
    this.audits.push(clone(entry));
  }
  async listDay(teamId: string, d: string) {
    return this.audits.filter((a) => a.teamId === teamId && day(a.at) === d).map(clone);
  }
  async listDays(teamId: string, days: string[]) {
    const rows = this.audits.filter((a) => a.teamId === teamId && days.includes(day(a.at)));
    return rows.sort((a, b) => b.at - a.at).map(clone);
  }

  // ── gateway facts ──
  async noteGatewayFallback(fallback: GatewayFallback, at: number) {
    this.facts[fallback] ??= at;
  }
  async getGatewayFallbacks() {
    return { ...this.facts };
  }

  // ── pending events ──
  async savePending(ev: PendingEvent) {
    const key = `${ev.inspectorId}/${ev.sessionId}/${ev.seq}`;
    if (!this.pending.has(key)) this.pending.set(key, clone(ev));
  }
  async savePendingMany(events: PendingEvent[]) {
    for (const ev of events) await this.savePending(ev);
  }
  async listPending(inspectorId: string, sessionId: string) {
    return [...this.pending.values()]
      .filter((e) => e.inspectorId === inspectorId && e.sessionId === sessionId)
      .sort((a, b) => a.seq - b.seq)
      .map(clone);
  }
  async markPosted(inspectorId: string, sessionId: string, seq: number) {
    this.pending.delete(`${inspectorId}/${sessionId}/${seq}`);
  }
  async markPostedMany(events: PendingEvent[]) {
    for (const e of events) await this.markPosted(e.inspectorId, e.sessionId, e.seq);
  }
  async reserveEventSeqs(inspectorId: string, sessionId: string, count: number) {
    const s = this.#live(inspectorId, sessionId);
    if (!s) throw new ConflictError(`session ${inspectorId}`);
    s.eventSeq += count;
    return s.eventSeq - count + 1;
  }
  async recentPushed(inspectorId: string, now: number) {
    const keys = [...this.pushed].filter(([k, until]) => k.startsWith(`${inspectorId}/`) && until > now);
    return new Set(keys.map(([k]) => k.slice(inspectorId.length + 1)));
  }
  async notePushed(inspectorId: string, keys: string[], until: number) {
    for (const k of keys) this.pushed.set(`${inspectorId}/${k}`, until);
  }
  async claimTurn(inspectorId: string, turn: EventTurn, owner: string, now: number, ms: number) {
    const held = this.turns.get(`${inspectorId}/${turn}`);
    if (held && held.owner !== owner && held.until > now) return false;
    this.turns.set(`${inspectorId}/${turn}`, { owner, until: now + ms });
    return true;
  }
  async releaseTurn(inspectorId: string, turn: EventTurn, owner: string) {
    if (this.turns.get(`${inspectorId}/${turn}`)?.owner === owner)
      this.turns.delete(`${inspectorId}/${turn}`);
  }
}
