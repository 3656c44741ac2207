import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { contentField, parseEvent, parsePushBody } from '../../src/gateway/events';

describe('parseEvent', () => {
  it('reads the reference samples (with and without eventGenTime, jsonKey, string content)', () => {
    expect(
      parseEvent({
        eventType: 'AgentEvent_Talking',
        eventGenTime: 1784529722590,
        workNo: '49999',
        content: {
          caller: '10086',
          callid: '1456401416-3',
          called: '70092',
          feature: '7',
          type: 'main',
          mediaAbility: '1',
        },
      }),
    ).toEqual({
      type: 'AgentEvent_Talking',
      workNo: '49999',
      genTime: 1784529722590,
      content: {
        caller: '10086',
        callid: '1456401416-3',
        called: '70092',
        feature: '7',
        type: 'main',
        mediaAbility: '1',
      },
    });
    const rec = parseEvent({
      eventType: 'AgentMediaEvent_Record',
      workNo: 25002,
      content: { recordID: 'r1', taskId: 5065, jsonKey: ['recordID'] },
      jsonKey: ['eventType', 'workNo', 'content'],
    });
    expect(rec).toEqual({
      type: 'AgentMediaEvent_Record',
      workNo: '25002',
      content: { recordID: 'r1', taskId: 5065 },
    });
    expect(rec && contentField(rec, 'taskId')).toBe('5065');
    expect(
      parseEvent({ eventType: 'AgentEvent_Call_Release', workNo: '49999', content: '1456403549-15' })
        ?.content,
    ).toBe('1456403549-15');
    expect(parseEvent({ eventType: 'AgentState_Ready', workNo: '1', content: null })?.content).toBeNull();
  });

  it('returns null for empty polls and junk', () => {
    for (const junk of [null, undefined, {}, [], 'x', 5, { eventType: '' }, { eventType: 7 }])
      expect(parseEvent(junk)).toBeNull();
  });

  it('property: never throws', () => {
    fc.assert(
      fc.property(fc.anything(), (v) => void parseEvent(v)),
      { numRuns: 3000 },
    );
    fc.assert(
      fc.property(fc.anything(), (v) => void parsePushBody(v)),
      { numRuns: 1000 },
    );
  });
});

describe('parsePushBody', () => {
  it('keeps order and skips non-events', () => {
    const body = {
      workNo: '1001',
      eventList: [
        { eventType: 'AgentState_Busy', workNo: '1001', content: null },
        'junk',
        { eventType: 'AgentOther_PhoneAlerting', workNo: '1001' },
      ],
    };
    expect(parsePushBody(body)?.events.map((e) => e.type)).toEqual([
      'AgentState_Busy',
      'AgentOther_PhoneAlerting',
    ]);
    expect(parsePushBody({ workNo: '1' })).toBeNull();
  });
});
