/**
 * Agent IDs (inspector `agentid`, target `workNo`) as the CC-Gateway accepts them: decimal
 * digits, 101–59999 in the older docs, 101–999999 on newer gateways (`maxAgentId`).
 * An ID that fails here never reaches the network.
 */
export const MIN_AGENT_ID = 101;
export const DEFAULT_MAX_AGENT_ID = 59_999;
export const NEWER_GATEWAY_MAX_AGENT_ID = 999_999;

/** `outOfRange`: digits, but outside MIN_AGENT_ID–maxAgentId (say "out of range", not "not an ID"). */
export type AgentIdCheck = { ok: true; id: string } | { ok: false; reason: string; outOfRange?: true };

export function checkAgentId(raw: unknown, maxAgentId: number = DEFAULT_MAX_AGENT_ID): AgentIdCheck {
  if (typeof raw !== 'string' && typeof raw !== 'number') {
    return { ok: false, reason: 'an agent ID is a number like 2005' };
  }
  const text = String(raw);
  const range = `agent IDs run from ${MIN_AGENT_ID} to ${maxAgentId}`;
  // Digits, but too many of them: out of range (99999999 is digits, just too large).
  if (/^[0-9]{8,}$/.test(text)) return { ok: false, reason: range, outOfRange: true };
  if (!/^[0-9]{1,7}$/.test(text)) {
    return { ok: false, reason: `an agent ID is digits only (${MIN_AGENT_ID}–${maxAgentId})` };
  }
  const value = Number(text);
  if (value < MIN_AGENT_ID || value > maxAgentId) return { ok: false, reason: range, outOfRange: true };
  // Canonical form: no leading zeros ("02005" is 2005).
  return { ok: true, id: String(value) };
}

/** Call IDs as the gateway prints them ("1456401416-3"): letters, digits, '-', '_', '.', '@', ':'. */
export function checkCallId(raw: unknown): { ok: true; id: string } | { ok: false; reason: string } {
  if (typeof raw !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}$/.test(raw)) {
    return { ok: false, reason: 'a call ID looks like 1456401416-3' };
  }
  return { ok: true, id: raw };
}
