import type { GatewayTransportError, RetcodeExplanation } from '../gateway';
import type { MonitorMode, QcAction, QcOperation } from './model';

/**
 * What happened to a QC request, as data. `slack/blocks` turns it into words and buttons;
 * nothing here knows Slack.
 */
export type QcOutcome =
  | { kind: 'not-linked' }
  | { kind: 'not-allowed'; op: QcAction; agentId: string; permission: string; admins: string[] }
  | { kind: 'wrong-mode'; op: QcOperation; agentId: string; current: Current }
  | { kind: 'already-intercepted'; agentId: string; by: string; at: number }
  | { kind: 'alert-gone' }
  | { kind: 'no-session'; inspectorId: string; reason?: string }
  | { kind: 'not-monitoring'; op: QcOperation; agentId: string; current?: Current }
  | { kind: 'monitoring-other'; op: QcOperation; agentId: string; current: Current }
  | { kind: 'already'; op: QcOperation; agentId: string; mode: MonitorMode }
  | { kind: 'intercepting'; op: QcOperation; agentId: string }
  | { kind: 'duplicate'; state: 'in-progress' | 'done' }
  | {
      kind: 'gateway';
      op: QcAction;
      /** The gateway interface actually called (e.g. requestSwitchInsertWhisperAgent). */
      call: string;
      /** The agent (or, for release-call, the call ID). */
      agentId: string;
      inspectorId: string;
      ok: boolean;
      retcode: string;
      explanation?: RetcodeExplanation;
      latencyMs: number;
    }
  | {
      kind: 'transport';
      op: QcAction;
      agentId: string;
      inspectorId: string;
      error: GatewayTransportError;
    };

export interface Current {
  agentId: string;
  mode: MonitorMode;
  since?: number;
}

/** The retcode-like word an audit row gets for an outcome. */
export function auditOutcome(outcome: QcOutcome): string {
  switch (outcome.kind) {
    case 'gateway':
      return outcome.retcode;
    case 'transport':
      return `transport:${outcome.error.kind}`;
    default:
      return `refused:${outcome.kind}`;
  }
}
