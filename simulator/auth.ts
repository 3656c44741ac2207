import { randomUUID } from 'node:crypto';
import type { Session } from './types';

interface GuidEntry {
  session: Session;
  issuedAt: number;
}

export interface GuidConfig {
  authMode: 1 | 2;
  guidIntervalMs: number;
  guidTimeoutMs: number;
  heartbeatTimeoutMs: number;
}

/** `Set-GUID` response header value for a Guid. */
export const setGuidHeader = (guid: string): string => `JSESSIONID=${guid}`;

/**
 * Guids and their sessions (C4 authentication).
 * Mode 2: a Guid lives guidTimeoutMs from its issue; polls/handshakes rotate when the current one is older
 * than guidIntervalMs. Mode 1 (and the scenario's desktop sessions): static, valid until sign-out.
 */
export class GuidRegistry {
  private readonly byGuid = new Map<string, GuidEntry>();

  constructor(private readonly cfg: GuidConfig) {}

  get size(): number {
    return this.byGuid.size;
  }

  issue(session: Session, now: number): string {
    const guid = `${randomUUID()}.AgentGateway0`;
    this.byGuid.set(guid, { session, issuedAt: now });
    session.guids.add(guid);
    session.currentGuid = guid;
    return guid;
  }

  /** The active session of `agentId` that `guid` authenticates, or undefined (=> 100-006). */
  check(guid: string | undefined, agentId: string, now: number): Session | undefined {
    if (!guid) return undefined;
    const e = this.byGuid.get(guid);
    if (!e || e.session.ended || e.session.agentId !== agentId) return undefined;
    if (!this.isStatic(e.session) && now >= e.issuedAt + this.cfg.guidTimeoutMs) return undefined;
    return e.session;
  }

  /** The active session `guid` authenticates, whatever its agent (allagentevent has no agent in the path). */
  find(guid: string | undefined, now: number): Session | undefined {
    const e = guid ? this.byGuid.get(guid) : undefined;
    return e ? this.check(guid, e.session.agentId, now) : undefined;
  }

  /** The session (active or ended) a known Guid was issued to, ignoring expiry. */
  owner(guid: string | undefined, agentId: string): Session | undefined {
    if (!guid) return undefined;
    const e = this.byGuid.get(guid);
    return e && e.session.agentId === agentId ? e.session : undefined;
  }

  /** On a poll/handshake: a new Guid when the current one is due for rotation (mode 2 only). */
  rotateIfDue(session: Session, now: number): string | undefined {
    if (this.isStatic(session)) return undefined;
    const cur = this.byGuid.get(session.currentGuid);
    if (cur && now - cur.issuedAt < this.cfg.guidIntervalMs) return undefined;
    return this.issue(session, now);
  }

  /** updateGuid: always a new Guid in mode 2; the same one in mode 1. */
  refresh(session: Session, now: number): string {
    return this.isStatic(session) ? session.currentGuid : this.issue(session, now);
  }

  revoke(session: Session): void {
    for (const g of session.guids) this.byGuid.delete(g);
    session.guids.clear();
  }

  /**
   * Forgets Guids of active sessions some time after they expired. Expired Guids stay known (check() still
   * rejects them) for heartbeatTimeoutMs + guidIntervalMs, the longest an expiry can precede the heartbeat
   * sign-out, so that the client's last Guid can read AgentOther_ShutdownService. Ended sessions keep
   * theirs until their final events are read.
   */
  prune(now: number): void {
    const forgetAfter = this.cfg.guidTimeoutMs + this.cfg.heartbeatTimeoutMs + this.cfg.guidIntervalMs;
    for (const [g, e] of this.byGuid) {
      if (e.session.ended || this.isStatic(e.session)) continue;
      if (now >= e.issuedAt + forgetAfter) {
        this.byGuid.delete(g);
        e.session.guids.delete(g);
      }
    }
  }

  clear(): void {
    this.byGuid.clear();
  }

  private isStatic(session: Session): boolean {
    return this.cfg.authMode === 1 || session.desktop;
  }
}
