/** Item keys of the one table. Every key names its kind first; Slack data is keyed by team. */
export const keys = {
  link: (teamId: string, userId: string) => ({ pk: `LINK#${teamId}#${userId}`, sk: 'LINK' }),
  linkOwner: (teamId: string, inspectorId: string) => ({ pk: `OWNER#${teamId}#${inspectorId}`, sk: 'OWNER' }),
  session: (inspectorId: string) => ({ pk: `INSPECTOR#${inspectorId}`, sk: 'SESSION' }),
  monitoring: (inspectorId: string) => ({ pk: `INSPECTOR#${inspectorId}`, sk: 'MONITORING' }),
  event: (inspectorId: string, sessionId: string, seq: number) => ({
    pk: `INSPECTOR#${inspectorId}`,
    sk: `EVENT#${sessionId}#${String(seq).padStart(10, '0')}`,
  }),
  eventPrefix: (sessionId: string) => `EVENT#${sessionId}#`,
  /** A pushed event already received (deduplication of the gateway's retries). */
  /** Keyed by when it expires, so a read skips the expired ones (TTL deletion is lazy). */
  pushed: (inspectorId: string, until: number, id: string) => ({
    pk: `INSPECTOR#${inspectorId}`,
    sk: `PUSHED#${String(until).padStart(15, '0')}#${id}`,
  }),
  pushedFrom: (now: number) => `PUSHED#${String(now).padStart(15, '0')}`,
  pushedEnd: 'PUSHED#~',
  /** Who is flushing (or storing) an inspector's pending events right now. */
  turn: (inspectorId: string, turn: string) => ({ pk: `INSPECTOR#${inspectorId}`, sk: `TURN#${turn}` }),
  idempotency: (key: string) => ({ pk: `IDEMPOTENCY#${key}`, sk: 'IDEMPOTENCY' }),
  audit: (teamId: string, day: string) => `AUDIT#${teamId}#${day}`,
  alert: (alertId: string) => ({ pk: `ALERT#${alertId}`, sk: 'ALERT' }),
  /** What qc-slack learned about the gateway it talks to (fallbacks for older route tables). */
  gatewayFallbacks: () => ({ pk: 'GATEWAY', sk: 'FALLBACKS' }),
  /** A channel message Slack has not taken yet (429), in the order it was kept (dynamo-posts.ts). */
  keptPost: (at: number, id: string) => ({
    pk: 'KEPT_POSTS',
    sk: `POST#${String(at).padStart(15, '0')}#${id}`,
  }),
  /** An open floor (message or Home tab), keyed by team and where it shows. */
  floor: (teamId: string, floorId: string) => ({ pk: `FLOOR#${teamId}#${floorId}`, sk: 'FLOOR' }),
  /** gsi1 partition of the floors one inspector's session keeps live (the keeper's list). */
  floorsIndex: (inspectorId: string) => `FLOORS#${inspectorId}`,
  /** gsi1 partition of the inspectors of a team who are monitoring someone (`/qc who`). */
  monitoringIndex: (teamId: string) => `MONITORING#${teamId}`,
} as const;

/** The sparse index of active sessions (the keeper's work list). */
export const ACTIVE_SESSIONS = 'ACTIVE_SESSIONS';

export const DAY_SECONDS = 86_400;

/** `ttl` attribute value (epoch seconds) for an item that may be deleted after `seconds`. */
export function ttlAfter(nowMs: number, seconds: number): number {
  return Math.floor(nowMs / 1000) + seconds;
}

/** UTC day (yyyy-mm-dd) of a timestamp. */
export function dayOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
