import type {
  AuditEntry,
  GatewayFallback,
  InspectorLink,
  MonitoringRecord,
  SessionRecord,
} from '../store/types';
import type { QcOperation } from './model';
import type { Permission } from './permissions';

/**
 * What qc/ tells people besides QC outcomes, as data: `slack/blocks/notices*.ts` turns each kind into
 * words (and escapes every outside string there). There is no free-text kind: qc/ writes no Slack text.
 */
export type Notice =
  | { kind: 'session-ended'; inspectorId: string; reason: string }
  | {
      kind: 'status';
      link?: InspectorLink;
      session?: SessionRecord;
      monitoring?: MonitoringRecord;
      /** Admins only: fallbacks qc-slack uses for this gateway (an older route table). */
      gatewayFallbacks?: Partial<Record<GatewayFallback, number>>;
      now: number;
    }
  | { kind: 'audit'; entries: AuditEntry[]; range: 'today' | '7d'; scopeNote?: string }
  | { kind: 'who'; agentId?: string; now: number; rows: Array<MonitoringRecord & { userId?: string }> }
  | {
      kind: 'permissions';
      targetUserId: string;
      inspectorId: string;
      permissions: Permission[];
      byDefault: boolean;
    }
  | RequestNotice
  | AccountNotice
  | FloorNotice;

/** A floor's gateway read that failed: the retcode in words, or the transport failure in words. */
export type FloorProblem =
  | { kind: 'refused'; retcode: string; meaning: string; nextStep: string }
  | { kind: 'unreachable'; explanation: string; nextStep: string };

/** `/qc floor` and a floor's page/Refresh buttons. */
export type FloorNotice =
  /** The floor was posted: in the requester's DM with the app, or in the channel (`share`). */
  | { kind: 'floor-opened'; where: 'dm' | 'channel'; permalink?: string }
  /** The gateway read failed: nothing was posted or stored. */
  | { kind: 'floor-unread'; problem: FloorProblem }
  /** The inspector has none of the monitoring permissions. */
  | { kind: 'floor-not-allowed'; admins: string[] }
  /** A page or Refresh button of a floor qc-slack no longer keeps. */
  | { kind: 'floor-closed' };

/** A gateway request as the user typed it: `intercept 2005`, `release-call 1456-3`, `signout`. */
export type GatewayRequest =
  | { op: QcOperation; agentId: string }
  | { op: 'release-call'; callId: string }
  | { op: 'signout' };

/** What became of a request on its way through the worker, and `/qc signout`. */
export type RequestNotice =
  /** A gateway request that waited in the queue too long: not run. */
  | { kind: 'job-expired'; request: GatewayRequest; ageMs: number }
  /** A gateway request whose worker died mid-way: not repeated, outcome unknown. */
  | { kind: 'job-outcome-unknown'; request: GatewayRequest }
  /** An internal error; `mayHaveApplied` when a gateway request may have been carried out. */
  | { kind: 'job-failed'; mayHaveApplied: boolean }
  /** The audit words in the job could not be read (`word` is the first bad one). */
  | { kind: 'audit-unreadable'; word: string }
  | { kind: 'not-signed-in' }
  | { kind: 'signed-out'; inspectorId: string }
  /** The gateway answered the sign-out with a refusal (its retcode, in words). */
  | { kind: 'signout-refused'; retcode: string; meaning: string; nextStep: string }
  /** The sign-out did not reach the gateway, or no answer came back. */
  | { kind: 'signout-unreachable'; explanation: string; nextStep: string };

/** How the sign-out at the gateway went when an admin's link change ended a session. */
export type GatewaySignOut = { signedOut: true } | { signedOut: false; problem: string };

/** The admin's link change that ended someone's session (their DM says which). */
export type AdminChange =
  | { kind: 'relinked'; from: string; to: string }
  | { kind: 'phones-changed' }
  | { kind: 'inspector-relinked'; inspectorId: string }
  | { kind: 'unlinked'; inspectorId: string };

/** A session an admin's change ended: whose, and how the sign-out went. */
export type EndedSession = GatewaySignOut & { userId: string };

/** Admin commands (`/qc link`, `unlink`, `allow`, `deny`) and what they did to sessions. */
export type AccountNotice =
  | { kind: 'admin-only'; command: 'permissions' | 'link' | 'unlink' }
  /** `/qc allow|deny @user`: the user has no link. */
  | { kind: 'user-not-linked'; targetUserId: string }
  /** `/qc allow|deny @user`: the link went while the permissions were being saved. */
  | { kind: 'unlinked-meanwhile'; targetUserId: string }
  /** `/qc unlink @user`: there was no link. */
  | { kind: 'was-not-linked'; targetUserId: string }
  | { kind: 'inspector-taken'; inspectorId: string }
  | {
      kind: 'linked';
      targetUserId: string;
      inspectorId: string;
      /** The soft-phones allowed, the default first (none: they cannot sign in yet). */
      phones: string[];
      /** Their own session, ended: it was on `inspectorId` (their previous inspector). */
      own?: { inspectorId: string; ended: GatewaySignOut };
      /** Someone else's session on the new inspector, ended. */
      taken?: EndedSession;
    }
  | { kind: 'unlinked'; targetUserId: string; inspectorId: string; ended?: GatewaySignOut }
  /** A DM to the user whose session an admin's change ended. */
  | {
      kind: 'session-ended-by-admin';
      adminId: string;
      change: AdminChange;
      inspectorId: string;
      signOut: GatewaySignOut;
    };
