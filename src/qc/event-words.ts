/**
 * Words for the gateway events that real clients switch on beyond the documented core
 * (`../shared/reference/cc-gateway-real-clients.md` §3), and for the 25 subtypes of
 * `QC_AgentState_Notify` (the state of an agent the inspector subscribed to with `beginmonitor`, keyed
 * by `content.monitoredagent`). Meanings are inferred from the names, as the reference says: a
 * supervisor reads them, nothing depends on them but the monitoring effects noted below.
 * Callers escape the agent ID before it reaches Slack text.
 */

/**
 * What an agent-state notification does to the inspector's own monitoring of that same agent: only a
 * sign-out is unambiguous (nobody monitors an agent who is signed out), so only Logout clears it.
 */
export type NotifyEffect = 'confirm' | 'clear' | undefined;

/** Subtype (without the `QC_AgentState_` prefix) → words after "Agent 2005 …", and its effect. */
const NOTIFY: Record<string, [words: string, effect?: NotifyEffect]> = {
  Login: ['signed in'],
  Logout: ['signed out', 'clear'],
  Idle: ['is idle'],
  Busy: ['is busy'],
  Work: ['is in wrap-up'],
  Rest: ['is on a break'],
  Active: ['is talking'],
  WaitAnswer: ['is ringing (waiting for an answer)'],
  WaitAlerting: ['is ringing'],
  HungUp: ['hung up'],
  ThreeParty: ['is in a three-party call'],
  Mute: ['is muted'],
  // Monitor / SuperviseInsert and their Stop… say someone monitors the agent, not who: another
  // supervisor's listening must not confirm or clear this inspector's own state, so no effect.
  Monitor: ['is being listened to'],
  StopMonitor: ['is no longer being listened to'],
  SuperviseInsert: ['is being listened to or barged into'],
  StopSuperviseInsert: ['is no longer listened to or barged into'],
  MonitorSupervisorOther: ['is monitored by another supervisor'],
  MonitorInsertCall: ['has a supervisor inserted in the call'],
  RecordBegin: ['is being recorded'],
  RecordStop: ['is no longer recorded'],
  PlayVoice: ['is playing a voice prompt'],
  LiveVideoBegin: ['started live video'],
  LiveVideoStop: ['stopped live video'],
  MuteVideo: ['muted video'],
  MuteVideoAudio: ['muted video and audio'],
};

const NOTIFY_EMOJI: Record<string, string> = {
  Login: '🚪',
  Logout: '🚪',
  Active: '📞',
  WaitAnswer: '☎️',
  WaitAlerting: '☎️',
  HungUp: '📴',
  RecordBegin: '⏺️',
  RecordStop: '⏹️',
};

/**
 * `QC_AgentState_Notify` as a line: "Agent 2005 is talking". An unknown subtype gets its raw name, so
 * nothing a gateway sends is dropped silently. `agent` must already be escaped.
 */
export function notifyLine(
  subtype: string | undefined,
  agent: string,
  rawSubtype: string,
): {
  line: string;
  effect: NotifyEffect;
} {
  const key = subtype?.startsWith('QC_AgentState_') ? subtype.slice('QC_AgentState_'.length) : undefined;
  const known = key !== undefined ? NOTIFY[key] : undefined;
  if (!key || !known) return { line: `👁️ Agent ${agent}: ${rawSubtype || 'state change'}`, effect: undefined };
  return { line: `${NOTIFY_EMOJI[key] ?? '👁️'} Agent ${agent} ${known[0]}`, effect: known[1] };
}

/** Events real clients switch on that the core list lacks; fields are escaped by the caller. */
export function extraEventLine(
  type: string,
  field: (name: string) => string | undefined,
): string | undefined {
  switch (type) {
    case 'AgentState_Force_SetNotReady':
      return '⛔ A supervisor forced you to busy';
    case 'AgentState_Force_Ready':
      return '✅ A supervisor forced you to idle';
    case 'AgentState_SetRest_Success':
      return '☕ Break started';
    case 'AgentState_Rest_Timeout':
      return '⏰ Your break time is over';
    case 'AgentState_CancelRest_Success':
      return '✅ Break ended';
    case 'AgentState_SetWork_Success':
      return '📝 Wrap-up started';
    case 'AgentState_CancelWork_Success':
      return '✅ Wrap-up ended';
    case 'AgentState_CancelNotReady_Success':
      return '✅ Busy cancelled';
    case 'AgentEvent_Conference':
      return '👥 Three-party call established';
    case 'AgentEvent_JoinConf':
      return '👥 Joined a conference';
    case 'AgentEvent_Customer_Alerting':
      return `☎️ The customer's phone is ringing${field('otherPhone') ? ` (${field('otherPhone')})` : ''}`;
    case 'AgentEvent_Ringing':
      return `☎️ Ringing: caller ${field('caller') ?? '?'} → ${field('called') ?? '?'}`;
    case 'AgentEvent_Hold':
      return '⏸️ Call on hold';
    case 'AgentEvent_No_Answer':
    case 'AgentEvent_No_Answer_From_Cti':
      return '🔕 No answer';
    case 'AgentEvent_Call_Out_Fail':
    case 'AgentEvent_Inside_Call_Fail':
    case 'AgentEvent_Connect_Fail':
    case 'AgentEvent_Consult_Fail':
      return `⚠️ Call failed (${type.slice('AgentEvent_'.length).replace(/_/g, ' ').toLowerCase()})`;
    case 'AgentOther_PhoneBusy':
      return '📵 Your phone is busy';
    case 'AgentOther_PhoneUnknow':
      return '❓ Your phone state is unknown';
    case 'AgentOther_Note':
    case 'AgentOther_Bulletin':
      return `📝 Note from ${field('sendername') ?? field('sender') ?? '?'}`;
    default:
      return undefined;
  }
}
