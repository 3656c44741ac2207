import { describe, expect, it } from 'vitest';
import { parseJob } from '../../src/queue/jobs';
import { alertMessage } from '../../src/slack/blocks/alert';
import type { AlertRecord } from '../../src/store/types';
import { buttonsOf } from '../e2e/driver';

/** Issue 13 item 15: an alert whose agent an alert-check found not on a call says so, without QC buttons. */
const at = Date.UTC(2026, 10, 27, 16, 6, 0);
const alert: AlertRecord = {
  alertId: 'a1',
  channel: 'C1',
  ts: '1.2',
  agentId: '2005',
  reason: 'Long silence',
  severity: 'warning',
  createdAt: at,
  participants: {},
  version: 1,
};
const labels = (a: AlertRecord) => buttonsOf(alertMessage(a).blocks).map((b) => b.text?.text);
const text = (a: AlertRecord) => JSON.stringify(alertMessage(a).blocks);

describe('alert rendering with and without agentCall', () => {
  it('without agentCall (on a call, or not checked): the QC buttons, "Nobody is on this call yet."', () => {
    expect(labels(alert)).toEqual(['Listen', 'Whisper', 'Insert', 'Take over', 'Stop']);
    expect(text(alert)).toContain('Nobody is on this call yet.');
    expect(text(alert)).not.toContain('not on a call');
  });

  it('not on a call: the state and the time it was checked, only Check again', () => {
    const idle = { ...alert, agentCall: { state: 'idle' as const, checkedAt: at } };
    expect(text(idle)).toContain(
      `*2005* is not on a call (idle) as of <!date^${at / 1000}^{time}|16:06 UTC>`,
    );
    expect(text(idle)).not.toContain('Nobody is on this call yet.');
    expect(labels(idle)).toEqual(['Check again']);
    const [again] = buttonsOf(alertMessage(idle).blocks);
    expect(again?.action_id).toMatch(/^qc_alert_check(:\d+)?$/);
    expect(again?.value).toBe('a1');
    expect(alertMessage(idle).text).toMatch(/\(not on a call\)$/);
    const out = { ...alert, agentCall: { state: 'signed-out' as const, checkedAt: at } };
    expect(text(out)).toContain('is not on a call (signed out)');
  });

  it('someone still on it (a Stop to offer) keeps Stop; an intercepted alert ignores agentCall', () => {
    const listening = {
      ...alert,
      participants: { U1: { inspectorId: '1001', mode: 'listen' as const, since: at } },
      agentCall: { state: 'wrap-up' as const, checkedAt: at },
    };
    expect(labels(listening)).toEqual(['Check again', 'Stop']);
    const taken = { ...listening, interceptedBy: { userId: 'U1', inspectorId: '1001', at } };
    expect(text(taken)).not.toContain('not on a call');
    expect(labels(taken)).toEqual(['Stop']);
  });
});

describe('the alert-check job', () => {
  const base = {
    v: 1,
    requestId: 'r1',
    requestedAt: at,
    slack: { teamId: 'T', userId: 'qc-alerts', channelId: 'C1' },
  };
  it('is accepted with an alert id, refused without one', () => {
    expect(parseJob(JSON.stringify({ ...base, kind: 'alert-check', alertId: 'a1' }))).toMatchObject({
      kind: 'alert-check',
      alertId: 'a1',
    });
    expect(parseJob(JSON.stringify({ ...base, kind: 'alert-check' }))).toBeNull();
    expect(parseJob(JSON.stringify({ ...base, kind: 'alert-check', alertId: 'x'.repeat(65) }))).toBeNull();
  });
});
