import { describe, expect, it } from 'vitest';
import type { GatewayEvent } from '../../src/gateway/events';
import { describeEvent } from '../../src/qc/event-lines';

const SUBTYPES = [
  'Login',
  'Logout',
  'Idle',
  'Busy',
  'Work',
  'Rest',
  'Active',
  'WaitAnswer',
  'WaitAlerting',
  'HungUp',
  'ThreeParty',
  'Mute',
  'Monitor',
  'StopMonitor',
  'SuperviseInsert',
  'StopSuperviseInsert',
  'MonitorSupervisorOther',
  'MonitorInsertCall',
  'RecordBegin',
  'RecordStop',
  'PlayVoice',
  'LiveVideoBegin',
  'LiveVideoStop',
  'MuteVideo',
  'MuteVideoAudio',
];

const notify = (subtype: string, agent = '2005'): GatewayEvent => ({
  type: 'QC_AgentState_Notify',
  workNo: '1001',
  content: { subtype, monitoredagent: agent },
});
const listening = {
  inspectorId: '1001',
  teamId: 'T',
  agentId: '2005',
  mode: 'listen' as const,
  confirmed: true,
};

describe('QC_AgentState_Notify and the events real clients switch on', () => {
  it('each of the 25 subtypes has its own words (not "signed in"), naming the agent', () => {
    const lines = SUBTYPES.map((s) => describeEvent(notify(`QC_AgentState_${s}`), undefined).line);
    expect(new Set(lines).size).toBe(25);
    for (const [i, line] of lines.entries()) {
      expect(line, SUBTYPES[i]).toContain('Agent 2005');
      if (SUBTYPES[i] !== 'Login') expect(line, SUBTYPES[i]).not.toMatch(/signed in/);
    }
    expect(describeEvent(notify('QC_AgentState_Active'), undefined).line).toMatch(/Agent 2005 is talking/);
  });

  it('a sign-out of the monitored agent ends the monitoring; of another agent, or another subtype, it does not', () => {
    expect(describeEvent(notify('QC_AgentState_Logout'), listening).state).toBe('clear');
    expect(describeEvent(notify('QC_AgentState_Logout', '2006'), listening).state).toBeUndefined();
    expect(describeEvent(notify('QC_AgentState_StopMonitor'), listening).state).toBeUndefined();
  });

  it('an unknown subtype or event gets a plain line with its raw name, escaped', () => {
    expect(describeEvent(notify('QC_AgentState_Teleport'), undefined).line).toContain(
      'QC_AgentState_Teleport',
    );
    expect(describeEvent(notify('<!channel>', '<@U1>'), undefined).line).toBe(
      '👁️ Agent &lt;@U1&gt;: &lt;!channel&gt;',
    );
    expect(
      describeEvent({ type: 'AgentEvent_Brand_New', workNo: '1001', content: null }, undefined).line,
    ).toBe('· AgentEvent_Brand_New');
  });

  it('the other events of the addendum read as words', () => {
    const line = (type: string, content: unknown = null) =>
      describeEvent({ type, workNo: '1001', content }, undefined).line;
    expect(line('AgentState_Force_SetNotReady')).toMatch(/forced you to busy/);
    expect(line('AgentEvent_Conference')).toMatch(/Three-party call/);
    expect(line('AgentEvent_Customer_Alerting', { otherPhone: '<!here>' })).toBe(
      "☎️ The customer's phone is ringing (&lt;!here&gt;)",
    );
  });
});
