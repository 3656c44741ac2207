import { describe, expect, it } from 'vitest';
import { addOperation, type MonitoringDraft, OPEN_MS, routeEvent } from '../../src/qc/monitoring-record';
import type { OperationThread } from '../../src/store/types';

const draft = (): MonitoringDraft => ({ inspectorId: '1001', teamId: 'T', confirmed: false });
const thread = (ts: string) => ({ channel: 'C', ts });

/** The thread ts each event type lands in, in order. */
function route(ops: OperationThread[], types: string[]): string[] {
  return types.map((t) => ops[routeEvent(ops, t)]?.thread?.ts ?? 'dm');
}

describe('which operation an event belongs to', () => {
  it('listen then intercept: ringing/answered to the listen, Talking/Record to the intercept', () => {
    const d = draft();
    addOperation(d, { op: 'listen', at: 1, thread: thread('L'), call: 'addSupervise' });
    addOperation(d, { op: 'intercept', at: 2, thread: thread('I'), call: 'intercept' });
    const types = ['AgentState_Busy', 'AgentOther_PhoneAlerting', 'AgentOther_PhoneOffhook'];
    expect(route(d.ops ?? [], [...types, 'AgentEvent_Talking', 'AgentMediaEvent_Record'])).toEqual([
      'L',
      'L',
      'L',
      'I',
      'I',
    ]);
  });

  it('events nobody expects go to the newest operation; a failed or switch call expects nothing', () => {
    const d = draft();
    addOperation(d, { op: 'listen', at: 1, thread: thread('L'), call: 'addSupervise' });
    addOperation(d, { op: 'insert', at: 2, thread: thread('S'), call: 'switchSuperviseOrInsert' });
    addOperation(d, { op: 'intercept', at: 3, thread: thread('X') });
    expect(route(d.ops ?? [], ['AgentEvent_Customer_Release', 'AgentOther_PhoneAlerting'])).toEqual([
      'X',
      'L',
    ]);
  });

  it("an event of a later operation ends the earlier ones' wait (the gateway keeps its order)", () => {
    const d = draft();
    // Auto-answer: this listen never rings.
    addOperation(d, { op: 'listen', at: 1, thread: thread('L1'), call: 'addSupervise' });
    addOperation(d, { op: 'stop', at: 2, thread: thread('S'), call: 'stopSuperviseOrInsert' });
    addOperation(d, { op: 'listen', at: 3, thread: thread('L2'), call: 'addSupervise' });
    const ops = d.ops ?? [];
    expect(route(ops, ['AgentState_Busy', 'AgentOther_PhoneOffhook'])).toEqual(['L1', 'L1']);
    expect(route(ops, ['AgentOther_PhoneRelease', 'AgentState_Ready'])).toEqual(['S', 'S']);
    expect(route(ops, ['AgentState_Busy', 'AgentOther_PhoneAlerting', 'AgentOther_PhoneOffhook'])).toEqual([
      'L2',
      'L2',
      'L2',
    ]);
  });

  it('an operation waits OPEN_MS at most; a few operations are kept', () => {
    const d = draft();
    addOperation(d, { op: 'listen', at: 0, thread: thread('old'), call: 'addSupervise' });
    addOperation(d, { op: 'listen', at: OPEN_MS + 1, thread: thread('new'), call: 'addSupervise' });
    expect(d.ops?.map((o) => o.thread?.ts)).toEqual(['new']);
    for (let i = 0; i < 10; i++) addOperation(d, { op: 'listen', at: OPEN_MS + 2 + i, call: 'addSupervise' });
    expect(d.ops?.length).toBeLessThanOrEqual(4);
  });
});
