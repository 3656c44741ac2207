/**
 * Event builders. Shapes are copied from the reference (§9.8): strings where the samples use strings
 * ("feature":"7", "fileMediaType":"1", "reason":"3"), numbers where they use numbers (taskId, qcType,
 * qcAgentId, phoneState). The simulator stamps eventGenTime and workNo when it queues an event.
 */

export interface GatewayEvent {
  eventType: string;
  eventGenTime: number;
  workNo: string;
  content: unknown;
}

/** An event before it is addressed to an agent. */
export interface EventSpec {
  eventType: string;
  content: unknown;
}

export type QcMode = 'listen' | 'insert' | 'whisper';

/** `AgentOther_BeQcStart/Stop.content.qcType` (8 listen, 9 insert, 20172 whisper). */
export const QC_TYPE: Record<QcMode, number> = { listen: 8, insert: 9, whisper: 20172 };

/** The call facts an event needs. */
export interface CallFacts {
  id: string;
  caller: string;
  called: string;
}

export function stamp(spec: EventSpec, workNo: string, now: number): GatewayEvent {
  return { eventType: spec.eventType, eventGenTime: now, workNo, content: spec.content };
}

const e = (eventType: string, content: unknown = null): EventSpec => ({ eventType, content });

export const inService = (): EventSpec => e('AgentOther_InService');
export const shutdownService = (loginTime: number): EventSpec =>
  e('AgentOther_ShutdownService', { loginTime: String(loginTime) });
export const ready = (): EventSpec => e('AgentState_Ready');
export const busy = (): EventSpec => e('AgentState_Busy');
export const work = (): EventSpec => e('AgentState_Work');
/** reason: "1" self, "3" forced busy by an inspector (see the reference's busy-reason table). */
export const setNotReadySuccess = (reason: string): EventSpec =>
  e('AgentState_SetNotReady_Success', { reason });
export const cancelNotReadySuccess = (): EventSpec => e('AgentState_CancelNotReady_Success');
export const setWorkSuccess = (): EventSpec => e('AgentState_SetWork_Success');
export const cancelWorkSuccess = (): EventSpec => e('AgentState_CancelWork_Success');
export const setRestSuccess = (): EventSpec => e('AgentState_SetRest_Success');
export const cancelRestSuccess = (): EventSpec => e('AgentState_CancelRest_Success');
export const restTimeout = (): EventSpec => e('AgentState_Rest_Timeout');

/** `QC_AgentState_Notify` to a monitor (beginmonitor): content as the reference's sample. */
export const qcAgentStateNotify = (subtype: string, agentId: string): EventSpec =>
  e('QC_AgentState_Notify', {
    subtype: `QC_AgentState_${subtype}`,
    monitoredagent: agentId,
    agentname: agentId,
    mediaserver: 'CtiServer',
  });

/**
 * Which of an agent's own events a monitor hears about, as which QC_AgentState_Notify subtype. Meanings are
 * inferred from the subtype names (addendum §3): Active = talking, WaitAnswer = ringing, SuperviseInsert =
 * being monitored; AgentState_Busy is what an inspector gets when it starts monitoring (→ Monitor).
 */
export const NOTIFY_SUBTYPE: Readonly<Record<string, string>> = {
  AgentOther_InService: 'Login',
  AgentState_Ready: 'Idle',
  AgentState_SetNotReady_Success: 'Busy',
  AgentState_Work: 'Work',
  AgentState_SetRest_Success: 'Rest',
  AgentState_Busy: 'Monitor',
  AgentEvent_Ringing: 'WaitAnswer',
  AgentEvent_Talking: 'Active',
  AgentEvent_Call_Release: 'HungUp',
  AgentOther_BeQcStart: 'SuperviseInsert',
  AgentOther_BeQcStop: 'StopSuperviseInsert',
};

export const phoneAlerting = (): EventSpec => e('AgentOther_PhoneAlerting');
export const phoneOffhook = (): EventSpec => e('AgentOther_PhoneOffhook', { type: 'main' });
export const phoneRelease = (): EventSpec => e('AgentOther_PhoneRelease', { phoneState: 3 });

export const beQcStart = (mode: QcMode, inspectorId: string): EventSpec =>
  e('AgentOther_BeQcStart', { qcType: QC_TYPE[mode], qcAgentId: Number(inspectorId) });
export const beQcStop = (mode: QcMode, inspectorId: string): EventSpec =>
  e('AgentOther_BeQcStop', { qcType: QC_TYPE[mode], qcAgentId: Number(inspectorId) });

export const ringing = (call: CallFacts): EventSpec =>
  e('AgentEvent_Ringing', {
    caller: call.caller,
    transfer: 'no',
    callid: call.id,
    transfrom: '',
    called: call.called,
    type: 'main',
    mediaAbility: '1',
    feature: '0',
  });

/** feature "0" = normal inbound call; "7" is what the reference sample (and the intercept flow) shows. */
export const talking = (call: CallFacts, feature: string): EventSpec =>
  e('AgentEvent_Talking', {
    caller: call.caller,
    callid: call.id,
    called: call.called,
    feature,
    type: 'main',
    mediaAbility: '1',
  });

/** AgentMediaEvent_Record for the inspector after an intercept (audio). */
export function record(call: CallFacts, inspectorId: string, taskId: number, now: number): EventSpec {
  const d = new Date(now);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  const day = `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}`;
  const time = `${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}${Math.floor(d.getUTCMilliseconds() / 100)}`;
  return e('AgentMediaEvent_Record', {
    taskId,
    caller: call.caller,
    recordID: `Yc1v6a${inspectorId}d${day}t${time}`,
    called: call.called,
    locationId: '256',
    fileName: `Y:/6/0/${day}/${inspectorId}/${time}.V3`,
    fileMediaType: '1',
    callId: call.id,
  });
}

/** Content is the bare call ID string. */
export const callRelease = (callId: string): EventSpec => e('AgentEvent_Call_Release', callId);
export const customerRelease = (call: CallFacts): EventSpec =>
  e('AgentEvent_Customer_Release', { callid: call.id, number: call.caller });
