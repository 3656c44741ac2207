/** `qualitycontrol/{inspector}` interfaces: listen, insert, whisper, cancel, switch, intercept, force …. */

import type { QcMode } from './events';
import * as ev from './events';
import type { Simulator } from './model';
import { AGENT_ID_RE, fail, ok } from './replies';
import { startRest, validRest } from './self-state';
import type { AgentRec, GwReply } from './types';

export type QcOp =
  | 'listen'
  | 'insert'
  | 'whisper'
  | 'stopWhisper'
  | 'cancel'
  | 'switch'
  | 'switchType'
  | 'intercept'
  | 'forceBusy'
  | 'forceIdle'
  | 'forceLogout'
  | 'forceRest';

export interface QcArgs {
  /** Target agent (workNo / whisperagentid); undefined when the query parameter is missing. */
  target: string | undefined;
  /** intercept/{workNo}/{callId} */
  callId?: string;
  /** requestswitchinsertwhisperagent switchtype (raw query value). */
  switchType?: string | null;
  /** forcerest/{workNo}/{time}/{reason} (raw path values). */
  rest?: { time: string; reason: string };
}

const SWITCH_TYPES: Record<string, QcMode> = { '0': 'listen', '1': 'insert', '2': 'whisper' };

/**
 * One QC operation on an agent. Check order: Guid (100-006) → syntax (000-002) → self (000-005) →
 * QC permission (900-002) → target signed in, same VDN (900-004) → state (900-005).
 */
export function qcAgentOp(
  sim: Simulator,
  op: QcOp,
  inspectorId: string,
  guid: string | undefined,
  args: QcArgs,
): GwReply {
  if (!sim.guids.check(guid, inspectorId, sim.now())) return fail('100-006');
  const targetId = args.target;
  if (targetId === undefined || !AGENT_ID_RE.test(targetId)) return fail('000-002');
  let newMode: QcMode | undefined;
  if (op === 'switchType') {
    newMode = SWITCH_TYPES[args.switchType ?? ''];
    if (!newMode) return fail('000-002');
  }
  if (op === 'forceRest' && !(args.rest && validRest(args.rest.time, args.rest.reason)))
    return fail('000-002');
  if (targetId === inspectorId) return fail('000-005');
  const insp = sim.rec(inspectorId);
  if (!insp) return fail('100-006');
  if (!insp.qc) return fail('900-002');
  const target = sim.rec(targetId);
  if (!target?.session || target.vdn !== insp.vdn) return fail('900-004');

  const m = insp.monitoring?.target === targetId ? insp.monitoring : undefined;
  switch (op) {
    case 'listen':
    case 'insert':
    case 'whisper': {
      if (!sim.isIdle(insp) || !sim.onAnsweredCall(target)) return fail('900-005');
      insp.monitoring = { target: targetId, mode: op, since: sim.now(), answered: false };
      sim.emit(insp, ev.busy());
      // PhoneAlerting now; PhoneOffhook and the agent's BeQcStart when the phone is answered (see phone.ts).
      sim.phones.ring(insp);
      return ok();
    }
    case 'stopWhisper':
    case 'cancel': {
      if (!m || (op === 'stopWhisper' && m.mode !== 'whisper')) return fail('900-005');
      sim.stopMonitoring(insp, { inspector: 'release+ready', targetStop: true });
      return ok();
    }
    case 'switch': {
      if (!m?.answered || m.mode === 'whisper') return fail('900-005');
      m.mode = m.mode === 'listen' ? 'insert' : 'listen';
      sim.emit(target, ev.beQcStart(m.mode, inspectorId));
      return ok();
    }
    case 'switchType': {
      if (!m?.answered || !newMode) return fail('900-005');
      m.mode = newMode;
      sim.emit(target, ev.beQcStart(m.mode, inspectorId));
      return ok();
    }
    case 'intercept': {
      if (!m?.answered || !target.callId) return fail('900-005');
      if (args.callId !== undefined && args.callId !== target.callId) return fail('900-005');
      intercept(sim, insp, target);
      return ok();
    }
    case 'forceBusy': {
      target.restState = 3;
      sim.emit(target, ev.setNotReadySuccess('3'));
      return ok();
    }
    case 'forceIdle': {
      target.restState = 4;
      sim.emit(target, ev.ready());
      return ok();
    }
    case 'forceLogout': {
      sim.signOut(target, 'inspector');
      return ok();
    }
    case 'forceRest': {
      startRest(sim, target, Number(args.rest?.time));
      return ok();
    }
  }
}

/** POST /forcedropcall/{callId}: releases a live call of the inspector's VDN (as a customer hang-up); else 900-004. */
export function forceDropCall(
  sim: Simulator,
  inspectorId: string,
  guid: string | undefined,
  callId: string,
): GwReply {
  if (!sim.guids.check(guid, inspectorId, sim.now())) return fail('100-006');
  const insp = sim.rec(inspectorId);
  if (!insp) return fail('100-006');
  if (!insp.qc) return fail('900-002');
  const call = sim.call(callId);
  if (!call || call.vdn !== insp.vdn) return fail('900-004');
  sim.releaseCall(call, 'customer');
  return ok();
}

/** The inspector takes the customer; the agent's leg is dropped; other monitors are released. */
function intercept(sim: Simulator, insp: AgentRec, target: AgentRec): void {
  const call = target.callId ? sim.call(target.callId) : undefined;
  if (!call) return;
  for (const other of sim.monitorsOf(target.id)) {
    if (other !== insp) sim.stopMonitoring(other, { inspector: 'release+ready', targetStop: false });
  }
  insp.monitoring = undefined;
  insp.callId = call.id;
  call.owner = insp.id;
  call.intercepted = true;
  target.callId = undefined;
  target.restState = 4;
  sim.emit(insp, ev.talking(call, '7'));
  sim.emit(insp, ev.record(call, insp.id, sim.nextTaskId(), sim.now()));
  sim.emit(target, ev.ready());
  sim.emit(target, ev.phoneRelease());
  sim.emit(target, ev.callRelease(call.id));
  sim.emit(target, ev.customerRelease(call));
}
