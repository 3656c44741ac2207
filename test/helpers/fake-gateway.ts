import {
  type AgentStatusEntry,
  type GatewayOutcome,
  type GatewaySession,
  GatewayTimeoutError,
  type GatewayTransportError,
} from '../../src/gateway';
import { explainRetcode } from '../../src/gateway/retcodes';
import { Secret } from '../../src/gateway/secret';
import type { Gateway } from '../../src/qc/ports';

/** How the fake gateway answers a call: a retcode (`'0'` is success), or a transport failure thrown. */
export type FakeAnswer = { retcode: string } | { throws: GatewayTransportError };

export const OK: FakeAnswer = { retcode: '0' };
export const refusedWith = (retcode: string): FakeAnswer => ({ retcode });
/** No answer within 5 s after the request was sent: it may have been carried out. */
export const timeoutMayHaveApplied = (op = 'x'): FakeAnswer => ({
  throws: new GatewayTimeoutError(op, 'response', 5_000),
});
/** No connection within 3 s: nothing reached the gateway. */
export const timeoutNotApplied = (op = 'x'): FakeAnswer => ({
  throws: new GatewayTimeoutError(op, 'connect', 3_000),
});

/** One call the fake gateway took: its method, the session's agent and the other arguments. */
export interface FakeCall {
  method: keyof Gateway;
  inspectorId?: string;
  args: unknown[];
}

/** The gateway's log name of each call (what `GatewayOutcome.operation` carries), as the real client says. */
const LOG_NAME: Record<string, string> = {
  listen: 'addSupervise',
  insert: 'addInsert',
  whisper: 'requestWhisperAgent',
  stopWhisper: 'requestStopWhisperAgent',
  cancelMonitor: 'stopSuperviseOrInsert',
  switchListenInsert: 'switchSuperviseOrInsert',
  switchMode: 'requestSwitchInsertWhisperAgent',
  intercept: 'intercept',
  forceBusy: 'forceBusy',
  forceIdle: 'forceIdle',
  forceSignOutAgent: 'forceLogOutAgent',
  forceReleaseCall: 'forceDropCall',
  signIn: 'login',
  forceSignIn: 'forceLogin',
  signOut: 'logout',
  forceSignOut: 'forceLogout',
  pollEvent: 'getAgentEvent',
  handshake: 'handShake',
  agentStatus: 'getAgentStatus',
  allAgentStatus: 'allAgentStatus',
  allAgentMonitors: 'allAgentMonitors',
  beginMonitor: 'beginMonitor',
  endMonitor: 'endMonitor',
};

/**
 * The Gateway port in memory: every call is recorded, and answered from `answers` (by method, or by
 * the QC operation for `qc`), else `fallback`. Successful answers carry the data each method
 * promises (no event, an idle agent, a Guid for sign-in).
 */
export class FakeGateway implements Gateway {
  readonly calls: FakeCall[] = [];
  answers: Partial<Record<string, FakeAnswer>> = {};
  fallback: FakeAnswer = OK;

  /** The calls made, in words: `qc(listen, 2005)`, `switchMode(2005, whisper)`… */
  made(opts: { except?: Array<keyof Gateway> } = {}): string[] {
    return this.calls
      .filter((c) => !opts.except?.includes(c.method))
      .map((c) => `${c.method}(${c.args.map(String).join(', ')})`);
  }

  async #answer<T>(
    method: keyof Gateway,
    key: string,
    session: GatewaySession | undefined,
    args: unknown[],
    data: T,
  ): Promise<GatewayOutcome<T>> {
    this.calls.push({ method, ...(session ? { inspectorId: session.agentId } : {}), args });
    const answer = this.answers[key] ?? this.answers[method] ?? this.fallback;
    if ('throws' in answer) throw answer.throws;
    const base = { operation: LOG_NAME[key] ?? key, message: '', latencyMs: 12 };
    if (answer.retcode === '0') return { ...base, ok: true, retcode: '0', data };
    return { ...base, ok: false, retcode: answer.retcode, explanation: explainRetcode(answer.retcode) };
  }

  #empty(method: keyof Gateway, session: GatewaySession, ...args: unknown[]) {
    return this.#answer(method, method, session, args, {} as Record<string, never>);
  }

  signIn(agentId: string) {
    return this.#answer('signIn', 'signIn', undefined, [agentId], { guid: new Secret('guid-new') });
  }
  forceSignIn(agentId: string) {
    return this.#answer('forceSignIn', 'forceSignIn', undefined, [agentId], { guid: new Secret('guid-new') });
  }
  signOut(s: GatewaySession) {
    return this.#empty('signOut', s);
  }
  forceSignOut(s: GatewaySession) {
    return this.#empty('forceSignOut', s);
  }
  pollEvent(s: GatewaySession) {
    return this.#answer('pollEvent', 'pollEvent', s, [], { event: null });
  }
  handshake(s: GatewaySession) {
    return this.#empty('handshake', s);
  }
  agentStatus(s: GatewaySession) {
    return this.#answer('agentStatus', 'agentStatus', s, [], { agentState: 4, isWorking: true });
  }
  qc(op: Parameters<Gateway['qc']>[0], s: GatewaySession, workNo: string) {
    return this.#answer('qc', op, s, [op, workNo], {} as Record<string, never>);
  }
  stopWhisper(s: GatewaySession, workNo: string) {
    return this.#empty('stopWhisper', s, workNo);
  }
  cancelMonitor(s: GatewaySession, workNo: string) {
    return this.#empty('cancelMonitor', s, workNo);
  }
  switchListenInsert(s: GatewaySession, workNo: string) {
    return this.#empty('switchListenInsert', s, workNo);
  }
  switchMode(s: GatewaySession, workNo: string, mode: Parameters<Gateway['switchMode']>[2]) {
    return this.#empty('switchMode', s, workNo, mode);
  }
  intercept(s: GatewaySession, workNo: string, callId?: string) {
    return this.#empty('intercept', s, workNo, ...(callId === undefined ? [] : [callId]));
  }
  forceBusy(s: GatewaySession, workNo: string) {
    return this.#empty('forceBusy', s, workNo);
  }
  forceIdle(s: GatewaySession, workNo: string) {
    return this.#empty('forceIdle', s, workNo);
  }
  forceSignOutAgent(s: GatewaySession, workNo: string) {
    return this.#empty('forceSignOutAgent', s, workNo);
  }
  forceReleaseCall(s: GatewaySession, callId: string) {
    return this.#empty('forceReleaseCall', s, callId);
  }
  /** The floor `allAgentStatus` answers with (set by a test). */
  floor: AgentStatusEntry[] = [];
  allAgentStatus(s: GatewaySession, opts: { skillId?: string } = {}) {
    const args = opts.skillId ? [opts.skillId] : [];
    return this.#answer('allAgentStatus', 'allAgentStatus', s, args, { agents: [...this.floor], skipped: 0 });
  }
  allAgentMonitors(s: GatewaySession) {
    return this.#answer('allAgentMonitors', 'allAgentMonitors', s, [], { supported: false as const });
  }
  beginMonitor(s: GatewaySession, workNos: readonly string[]) {
    return this.#empty('beginMonitor', s, workNos.join(' '));
  }
  endMonitor(s: GatewaySession, workNos: readonly string[]) {
    return this.#empty('endMonitor', s, workNos.join(' '));
  }
}
