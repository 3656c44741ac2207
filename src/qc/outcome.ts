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
  /** `phone`: the requester's phone, named by the take-over the refusal offers. */
  | { kind: 'not-monitoring'; op: QcOperation; agentId: string; current?: Current; phone?: string }
  | { kind: 'monitoring-other'; op: QcOperation; agentId: string; current: Current }
  | { kind: 'already'; op: QcOperation; agentId: string; mode: MonitorMode }
  | { kind: 'intercepting'; op: QcOperation; agentId: string }
  | { kind: 'duplicate'; state: 'in-progress' | 'done' }
  /** Another inspector holds the agent's call already: a take-over is refused before the gateway. */
  | { kind: 'taken-first'; agentId: string; by: string }
  /** A take-over of this agent is already waiting for the requester's phone. */
  | { kind: 'takeover-pending'; agentId: string }
  /** A take-over's steps the channel sees (src/qc/takeover*.ts). */
  | ({ kind: 'takeover'; agentId: string; inspectorId: string } & TakeoverStep)
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

/**
 * `ringing`: listening, the phone rings for `waitMs`; `not-answered`: the wait ran out, listening
 * stopped; `taken`: another inspector took the call first; `call-ended`: the call ended meanwhile;
 * `unknown`: the intercept step did not finish (its keeper stopped), so its outcome is not known.
 */
export type TakeoverStep =
  | { step: 'ringing'; phone?: string; waitMs: number }
  | { step: 'not-answered'; waitMs: number }
  | { step: 'taken'; by: string }
  | { step: 'call-ended' }
  | { step: 'unknown' };

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
    case 'takeover':
      return `takeover:${outcome.step}`;
    default:
      return `refused:${outcome.kind}`;
  }
}
