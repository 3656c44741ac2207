import { describe, expect, it } from 'vitest';
import { GatewayConnectionError, GatewayHttpStatusError } from '../../src/gateway';
import { explainRetcode } from '../../src/gateway/retcodes';
import type { QcOutcome } from '../../src/qc/outcome';
import { outcomeMessage } from '../../src/slack/blocks/qc-outcome';
import { buttonsOf, T0, USER } from './core-fixtures';

/**
 * What the requester reads for each outcome kind: the message text, its buttons, and whether it goes
 * to the channel. (Every operation × state × gateway outcome is in run-qc.test.ts; this covers the
 * kinds the QC path rarely reaches and the words around gateway strings.)
 */
const gateway = (extra: Partial<Extract<QcOutcome, { kind: 'gateway' }>>): QcOutcome => ({
  kind: 'gateway',
  op: 'listen',
  call: 'addSupervise',
  agentId: '2005',
  inspectorId: '1001',
  ok: true,
  retcode: '0',
  latencyMs: 12.4,
  ...extra,
});
const WHO = '<@U1> (inspector 1001)';
const MONITOR = ['Listen to 2005', 'Insert into 2005', 'Whisper to 2005'];

const ROWS: Array<[name: string, outcome: QcOutcome, text: string, buttons: string[], inChannel: boolean]> = [
  [
    'already intercepted by someone else',
    { kind: 'already-intercepted', agentId: '2005', by: 'U2', at: T0 },
    "Agent 2005's call was already intercepted by <@U2> at <!date^1800000000^{time}|08:00 UTC>.",
    [],
    false,
  ],
  [
    'an alert that is gone',
    { kind: 'alert-gone' },
    'That alert is no longer known (expired or from another channel); nothing was sent to the gateway.',
    [],
    false,
  ],
  [
    'a duplicate request',
    { kind: 'duplicate', state: 'done' },
    'This request was already handled once; it was not sent to the gateway again.',
    [],
    false,
  ],
  [
    'intercept while monitoring another agent',
    {
      kind: 'not-monitoring',
      op: 'intercept',
      agentId: '2005',
      current: { agentId: '2009', mode: 'listen' },
    },
    "You can only intercept an agent you are monitoring. Take over 2005's call in one click, or listen, insert or whisper on 2005 first.",
    [...MONITOR, 'Take over'],
    false,
  ],
  [
    'a take-over while someone else holds the call',
    { kind: 'taken-first', agentId: '2005', by: 'U2' },
    '<@U2> took over 2005 first.',
    [],
    false,
  ],
  [
    'a second take-over while one waits',
    { kind: 'takeover-pending', agentId: '2005' },
    'You are already taking over 2005: answer your phone.',
    [],
    false,
  ],
  [
    'a take-over ringing the phone',
    {
      kind: 'takeover',
      step: 'ringing',
      agentId: '2005',
      inspectorId: '1001',
      phone: '70001',
      waitMs: 30_000,
    },
    `Taking over 2005: answer your phone (70001)… ${WHO}`,
    [],
    true,
  ],
  [
    'a take-over whose phone did not answer',
    { kind: 'takeover', step: 'not-answered', agentId: '2005', inspectorId: '1001', waitMs: 30_000 },
    "Your phone did not answer within 30 s: stopped listening to 2005; the customer's call is unchanged.",
    [],
    true,
  ],
  [
    'a take-over someone else was first to',
    { kind: 'takeover', step: 'taken', agentId: '2005', inspectorId: '1001', by: 'U2' },
    '<@U2> took over 2005 first.',
    [],
    true,
  ],
  [
    'not allowed, no admins configured',
    { kind: 'not-allowed', op: 'force-busy', agentId: '2005', permission: 'force', admins: [] },
    'You are not allowed to force busy agent 2005: it needs the "force" permission. Ask a qc-slack admin (QC_ADMIN_USER_IDS) to grant it.',
    [],
    false,
  ],
  [
    'a retcode qc-slack does not know',
    gateway({ ok: false, retcode: '777-001', explanation: explainRetcode('777-001') }),
    `❌ ${WHO} could not listen to agent 2005. Retcode 777-001: The gateway refused the operation with code 777-001, which qc-slack does not know. Try again; if it repeats, tell the platform team the code.`,
    [],
    true,
  ],
  [
    'HTTP 503 (may have applied)',
    {
      kind: 'transport',
      op: 'intercept',
      agentId: '2005',
      inspectorId: '1001',
      error: new GatewayHttpStatusError('intercept', 503),
    },
    '⚠️ <@U1> — intercept the call of agent 2005: The gateway answered with HTTP 503 instead of a result. It may have happened anyway: check /qc status before you try again.',
    [],
    true,
  ],
  [
    'connection refused (not applied)',
    {
      kind: 'transport',
      op: 'stop',
      agentId: '2005',
      inspectorId: '1001',
      error: new GatewayConnectionError('x', 'refused'),
    },
    '⚠️ <@U1> — stop monitoring agent 2005: The gateway refused the connection (is it running, and is the address right?). Try again in a minute; if it keeps happening, tell the platform team.',
    [],
    true,
  ],
  [
    'release-call done',
    gateway({ op: 'release-call', agentId: '1800000000-2005', call: 'forceDropCall' }),
    `✅ ${WHO} — Released call 1800000000-2005. Retcode 0: done.`,
    [],
    true,
  ],
];

describe('outcomeMessage: text, buttons, where it goes', () => {
  it.each(ROWS)('%s', (_name, outcome, text, buttons, inChannel) => {
    const msg = outcomeMessage(outcome, USER);
    expect({ text: msg.text, buttons: buttonsOf(msg.blocks), inChannel: msg.inChannel }).toEqual({
      text,
      buttons,
      inChannel,
    });
  });

  it.each([
    ['listen, default', gateway({}), {}, true],
    ['listen in an alert thread', gateway({}), { followUp: 'none' as const }, false],
    ['force-busy', gateway({ op: 'force-busy', call: 'forceBusy' }), {}, false],
    ['release-call', gateway({ op: 'release-call', call: 'forceDropCall' }), {}, false],
  ])('%s: promises follow-up events in the thread → %s', (_name, outcome, opts, promised) => {
    const blocks = JSON.stringify(outcomeMessage(outcome, USER, opts).blocks);
    expect(blocks.includes('follow-up events in the thread')).toBe(promised);
  });

  it('gateway strings are escaped (a retcode or call name cannot mention or link)', () => {
    const odd = gateway({ ok: false, retcode: '<!here>', call: '<@U9>', explanation: explainRetcode('x') });
    const msg = outcomeMessage(odd, USER);
    const all = msg.text + JSON.stringify(msg.blocks);
    expect(all).not.toMatch(/<!here>|<@U9>/);
    expect(all).toMatch(/&lt;!here&gt;/);
  });
});
