import { checkAgentId, checkCallId } from '../gateway/agent-id';
import { CONFIRMED_OPERATIONS, QC_OPERATIONS, type QcOperation } from '../qc/model';

/**
 * Button values: fields joined by `:`, each field URI-encoded (`encodeURIComponent` turns `:`, `|`,
 * `%` and spaces into `%XX`), so an ID with a `:` in it stays one field: `release-call:123-4%3A5`.
 * Plain IDs read as before (`listen:2005`, `stop:2005:alertId`). A value is decoded only when it has
 * exactly the expected number of fields, each in the one encoding this module writes; then every
 * field is checked again. Button values come from the client and are never trusted.
 */
export function encodeButtonValue(fields: readonly string[]): string {
  return fields.map(encodeURIComponent).join(':');
}

/** The fields of a value written by `encodeButtonValue`, or undefined (wrong count or encoding). */
export function decodeButtonValue(value: string | undefined, count: number): string[] | undefined {
  const parts = (value ?? '').split(':');
  if (parts.length !== count) return undefined;
  const fields: string[] = [];
  for (const part of parts) {
    let field: string;
    try {
      field = decodeURIComponent(part);
    } catch {
      return undefined;
    }
    if (encodeURIComponent(field) !== part) return undefined;
    fields.push(field);
  }
  return fields;
}

const isOp = (op: string | undefined): op is QcOperation => QC_OPERATIONS.includes(op as QcOperation);
const isConfirmed = (op: string) => (CONFIRMED_OPERATIONS as readonly string[]).includes(op);
const ALERT_ID = /^[A-Za-z0-9_-]{8,64}$/;

/** `op:agent` — a QC operation button (refusals, App Home). Confirmed operations never come this way. */
export const qcOpValue = (op: QcOperation, agentId: string) => encodeButtonValue([op, agentId]);

export function parseQcOpValue(
  value: string | undefined,
  maxAgentId: number,
): { op: QcOperation; agentId: string } | undefined {
  const [op, agent] = decodeButtonValue(value, 2) ?? [];
  if (!isOp(op) || isConfirmed(op)) return undefined;
  const checked = checkAgentId(agent, maxAgentId);
  return checked.ok ? { op, agentId: checked.id } : undefined;
}

/** `op:agent:alertId` — a button on a monitoring alert (the worker re-checks it against the alert). */
export const alertOpValue = (op: QcOperation, agentId: string, alertId: string) =>
  encodeButtonValue([op, agentId, alertId]);

export function parseAlertOpValue(
  value: string | undefined,
  maxAgentId: number,
): { op: QcOperation; agentId: string; alertId: string } | undefined {
  const [op, agent, alertId] = decodeButtonValue(value, 3) ?? [];
  if (!isOp(op) || !alertId || !ALERT_ID.test(alertId)) return undefined;
  const checked = checkAgentId(agent, maxAgentId);
  return checked.ok ? { op, agentId: checked.id, alertId } : undefined;
}

/** `op:target` — the "Yes" of a confirmation: a force operation on an agent, or release-call of a call ID. */
export const confirmValue = (op: QcOperation | 'release-call', target: string) =>
  encodeButtonValue([op, target]);

export type ConfirmedRequest =
  | { kind: 'release-call'; callId: string }
  | { kind: 'qc'; op: QcOperation; agentId: string };

export function parseConfirmValue(
  value: string | undefined,
  maxAgentId: number,
): ConfirmedRequest | undefined {
  const [op, target] = decodeButtonValue(value, 2) ?? [];
  if (op === 'release-call') {
    const call = checkCallId(target);
    return call.ok ? { kind: 'release-call', callId: call.id } : undefined;
  }
  if (!isOp(op) || !isConfirmed(op)) return undefined;
  const agent = checkAgentId(target, maxAgentId);
  return agent.ok ? { kind: 'qc', op, agentId: agent.id } : undefined;
}
