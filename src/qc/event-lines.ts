import { cleanLine } from '../alerts/text';
import { contentField, type GatewayEvent } from '../gateway/events';
import { escapeText } from '../slack/blocks/alert';
import type { MonitoringRecord, OperationThread } from '../store/types';
import { extraEventLine, notifyLine } from './event-words';
import { MODE_VERB } from './monitoring';

/**
 * One inspector event → one compact line for the thread (or null for noise), and what it does
 * to the monitoring state. `AgentState_Busy` and `AgentOther_InService` are noise: the next
 * event says the same thing better.
 */
export interface EventEffect {
  line: string | null;
  /** 'confirm' = the monitoring is real now; 'clear' = the inspector monitors nobody; 'ended' = session over. */
  state?: 'confirm' | 'clear' | 'ended' | 'busy';
}

const NOISE = new Set(['AgentOther_InService', 'AgentState_SetNotReady_Success']);

/** A gateway string as Slack text: one line, and `&`, `<`, `>` escaped (no mentions, no links). */
const asText = (value: string): string => escapeText(cleanLine(value));

/**
 * `op` is the operation the event belongs to (docs/architecture.md): "phone answered" says what
 * that operation started, even when a later one changed the state meanwhile.
 */
export function describeEvent(
  event: GatewayEvent,
  monitoring: Omit<MonitoringRecord, 'version'> | undefined,
  op?: Pick<OperationThread, 'agentId' | 'mode'> & { op?: string },
): EventEffect {
  const f = (name: string) => {
    const value = contentField(event, name);
    return value === undefined ? undefined : asText(value);
  };
  const target = op?.mode ? op.agentId : monitoring?.agentId;
  const mode = op?.mode ?? monitoring?.mode;
  switch (event.type) {
    case 'AgentOther_PhoneAlerting':
      return { line: '☎️ Your phone is ringing: answer it to join' };
    case 'AgentOther_PhoneOffhook':
      return {
        line:
          target && mode ? `🎧 Phone answered: you are ${MODE_VERB[mode]} ${target}` : '🎧 Phone answered',
        state: 'confirm',
      };
    case 'AgentEvent_Talking':
      return {
        line: `📞 Talking: caller ${f('caller') ?? '?'} → ${f('called') ?? '?'} (call ${f('callid') ?? f('callId') ?? '?'})`,
        state: 'confirm',
      };
    case 'AgentMediaEvent_Record':
      return {
        line: `⏺️ Recording ${f('recordID') ?? '?'} (file ${f('fileName') ?? '?'}, call ${f('callId') ?? '?'})`,
      };
    case 'AgentMediaEvent_Record_Fail':
      return { line: `⚠️ Recording failed (${f('recordID') ?? 'no id'})` };
    case 'AgentMediaEvent_StopRecordDone':
      return { line: '⏹️ Recording stopped' };
    case 'AgentOther_PhoneRelease':
      return { line: '📴 Your phone hung up' };
    case 'AgentState_Busy':
      return { line: null, state: 'busy' };
    case 'AgentState_Ready':
      // Queued before the current operation took effect (e.g. right after sign-in): not news.
      if (
        monitoring?.mode &&
        monitoring.mode !== 'intercept' &&
        !monitoring.confirmed &&
        !monitoring.busySeen
      )
        return { line: null };
      // Idle "again" only after being busy: monitoring someone, a call seen, or a stop asked for.
      // Right after sign-in the inspector was never busy: not news either.
      if (!monitoring?.mode && !monitoring?.busySeen && op?.op !== 'stop' && op?.op !== 'stop-whisper')
        return { line: null, state: 'clear' };
      return { line: '✅ You are idle again', state: 'clear' };
    case 'AgentEvent_Customer_Release':
      return { line: `👋 The customer hung up (call ${f('callid') ?? '?'})` };
    case 'AgentEvent_Call_Release':
      return { line: `🔚 Call ${typeof event.content === 'string' ? asText(event.content) : '?'} released` };
    case 'AgentState_Work':
      return { line: '📝 Wrap-up' };
    case 'AgentOther_ShutdownService':
      return { line: '⛔ The gateway signed you out', state: 'ended' };
    case 'QC_AgentState_Notify': {
      const agent = contentField(event, 'monitoredagent');
      const subtype = contentField(event, 'subtype');
      const { line, effect } = notifyLine(subtype, f('monitoredagent') ?? '?', f('subtype') ?? '');
      // Only a notice about the agent this inspector monitors changes the inspector's own state.
      return effect && agent !== undefined && agent === target ? { line, state: effect } : { line };
    }
    default: {
      if (NOISE.has(event.type)) return { line: null };
      // Anything else still gets a plain line: nothing a gateway sends is dropped silently.
      return { line: extraEventLine(event.type, f) ?? `· ${asText(event.type)}` };
    }
  }
}
