import { describe, expect, it } from 'vitest';
import type { MonitorMode, QcOperation } from '../../src/qc/model';
import { runQc } from '../../src/qc/run-qc';
import {
  type FakeAnswer,
  OK,
  refusedWith,
  timeoutMayHaveApplied,
  timeoutNotApplied,
} from '../helpers/fake-gateway';
import { AGENT, INSPECTOR, monitoringIn, qcJob, type State, seen, T0, world } from './core-fixtures';
import { PLAN_ROWS } from './plan-table';

/**
 * A QC request from the queue to the requester's screen, each operation × each monitoring state ×
 * each gateway outcome, over in-memory fakes: the gateway call made or not, the monitoring record
 * written or not, the session record, the audit row, and the message the requester sees.
 */

/** What each operation did, in the result message, and what it could not do, in the refusal. */
const WORDS: Record<QcOperation, { done: string; verb: string; effect: MonitorMode | 'none' | 'unchanged' }> =
  {
    listen: { done: 'Listening to agent 2005', verb: 'listen to', effect: 'listen' },
    insert: { done: 'Joined the call of agent 2005', verb: 'insert into the call of', effect: 'insert' },
    whisper: { done: 'Whispering to agent 2005', verb: 'whisper to', effect: 'whisper' },
    stop: { done: 'Stopped monitoring agent 2005', verb: 'stop monitoring', effect: 'none' },
    intercept: {
      done: 'Intercepted the call of agent 2005',
      verb: 'intercept the call of',
      effect: 'intercept',
    },
    'stop-whisper': { done: 'Stopped whispering to agent 2005', verb: 'stop whispering to', effect: 'none' },
    'switch-listen': {
      done: 'Switched to listening to agent 2005',
      verb: 'switch to listening to',
      effect: 'listen',
    },
    'switch-insert': {
      done: 'Switched to the call of agent 2005',
      verb: 'switch into the call of',
      effect: 'insert',
    },
    'switch-whisper': {
      done: 'Switched to whispering to agent 2005',
      verb: 'switch to whispering to',
      effect: 'whisper',
    },
    'force-busy': { done: 'Forced busy: agent 2005', verb: 'force busy', effect: 'unchanged' },
    'force-idle': { done: 'Forced idle: agent 2005', verb: 'force idle', effect: 'unchanged' },
    'force-signout': {
      done: 'Forced sign-out of agent 2005',
      verb: 'force the sign-out of',
      effect: 'unchanged',
    },
  };

const WHO = '<@U1> (inspector 1001)';
const MONITOR_BUTTONS = ['Listen to 2005', 'Insert into 2005', 'Whisper to 2005'];

interface Outcome {
  answer: FakeAnswer;
  /** The confirming status read after a "session unknown" answer. */
  status?: FakeAnswer;
  ok: boolean;
  audit: string;
  sessionEnds: boolean;
  text: (op: QcOperation) => string;
  buttons: string[];
}

const OUTCOMES: Record<string, Outcome> = {
  'retcode 0': {
    answer: OK,
    ok: true,
    audit: '0',
    sessionEnds: false,
    text: (op) => `✅ ${WHO} — ${WORDS[op].done}. Retcode 0: done.`,
    buttons: [],
  },
  'refused 900-005 (state)': {
    answer: refusedWith('900-005'),
    ok: false,
    audit: '900-005',
    sessionEnds: false,
    text: (op) =>
      `❌ ${WHO} could not ${WORDS[op].verb} agent 2005. Retcode 900-005: The state does not allow it: you must be idle to start monitoring, monitoring the agent to intercept or switch, and the agent must be in a call. Check /qc status: stop what you are monitoring first, or start listening to the agent before you intercept.`,
    buttons: [],
  },
  'refused 100-006 (session gone, confirmed)': {
    answer: refusedWith('100-006'),
    status: refusedWith('100-006'),
    ok: false,
    audit: '100-006',
    sessionEnds: true,
    text: (op) =>
      `❌ ${WHO} could not ${WORDS[op].verb} agent 2005. Retcode 100-006: Your gateway session expired or was replaced (not signed in, or the Guid no longer matches). Sign in again with /qc signin.`,
    buttons: ['Sign in'],
  },
  'timeout after sending (may have applied)': {
    answer: timeoutMayHaveApplied(),
    ok: false,
    audit: 'transport:timeout',
    sessionEnds: false,
    text: (op) =>
      `⚠️ <@U1> — ${WORDS[op].verb} agent 2005: The gateway did not answer within 5 s. It may have happened anyway: check /qc status before you try again.`,
    buttons: [],
  },
  'no connection (not applied)': {
    answer: timeoutNotApplied(),
    ok: false,
    audit: 'transport:timeout',
    sessionEnds: false,
    text: (op) =>
      `⚠️ <@U1> — ${WORDS[op].verb} agent 2005: The gateway could not be reached within 3 s. Try again in a minute; if it keeps happening, tell the platform team.`,
    buttons: [],
  },
};

/** The requests that reach the gateway, with each outcome. */
const CALL_ROWS = PLAN_ROWS.filter(([, , plan]) => !plan.startsWith('refused:')).flatMap(
  ([op, state, call]) => Object.keys(OUTCOMES).map((outcome) => [op, state, call, outcome] as const),
);

/** Where the inspector is after the request: what a successful operation set, else as before. */
function targetAfter(op: QcOperation, state: State, ok: boolean, retcode: string) {
  const before = monitoringIn(state);
  const effect = WORDS[op].effect;
  // A stop refused as "nothing to stop" (900-005) clears what our record remembered of missed events.
  if (!ok && effect === 'none' && retcode === '900-005' && before?.agentId === AGENT)
    return { agentId: undefined, mode: undefined };
  if (!ok || effect === 'unchanged') return { agentId: before?.agentId, mode: before?.mode };
  return effect === 'none' ? { agentId: undefined, mode: undefined } : { agentId: AGENT, mode: effect };
}

describe('runQc: operation × monitoring state × gateway outcome', () => {
  it.each(CALL_ROWS)('%s while %s → %s, %s', async (op, state, call, outcomeName) => {
    const o = OUTCOMES[outcomeName] as Outcome;
    const { store, gateway, notifier, deps } = world(state, [
      'listen',
      'insert',
      'whisper',
      'intercept',
      'force',
    ]);
    gateway.fallback = o.answer;
    if (o.status) gateway.answers.agentStatus = o.status;

    const outcome = await runQc(deps, qcJob(op));

    // The one gateway call (plus the status check that confirms a "session unknown" answer).
    expect(gateway.made({ except: ['agentStatus'] })).toEqual([call]);
    expect(gateway.made().length).toBe(o.status ? 2 : 1);
    // The message the requester sees, in the channel, with its thread.
    expect(notifier.reports).toHaveLength(1);
    expect(notifier.reports[0]?.outcome).toBe(outcome);
    const shown = seen(outcome);
    expect(shown).toEqual({ text: o.text(op), buttons: o.buttons, inChannel: true });
    // The session record ends only when the gateway confirmed the session is gone.
    const s = store.sessions.get(INSPECTOR);
    expect(s?.status).toBe(o.sessionEnds ? 'ended' : 'active');
    if (o.sessionEnds) expect(s?.endedReason).toMatch(/^gateway 100-006 on \w+$/);
    // The monitoring record: untouched by force operations; else "awaiting" then settled.
    const m = store.monitoring.get(INSPECTOR);
    const after = targetAfter(op, state, o.ok, o.audit);
    expect({ agentId: m?.agentId, mode: m?.mode }).toEqual(after);
    if (WORDS[op].effect === 'unchanged') {
      expect(store.monitoringWrites).toEqual([]);
    } else {
      expect(store.monitoringWrites.map((w) => w.awaitingThreadSince)).toEqual([T0, undefined]);
      expect(m?.ops?.at(-1)).toMatchObject({
        op,
        at: T0,
        thread: { channel: 'C1', ts: 'ts-1' },
        agentId: AGENT,
      });
      // A successful start, intercept or stop expects its events in its thread; a switch rings nothing.
      const expectsEvents = o.ok && /^(qc|intercept|cancelMonitor|stopWhisper)\(/.test(call);
      expect((m?.ops?.at(-1)?.expects.length ?? 0) > 0).toBe(expectsEvents);
      const sameAgent = ['listen', 'insert', 'whisper', 'intercept'].includes(state);
      if (o.ok && after.agentId) expect(m?.since).toBe(sameAgent ? T0 - 60_000 : T0);
      if (o.ok && !after.agentId) expect(m?.since).toBeUndefined();
    }
    // One audit row, with the outcome's word and the result message.
    expect(store.audits).toEqual([
      expect.objectContaining({
        operation: op,
        agentId: AGENT,
        inspectorId: INSPECTOR,
        outcome: o.audit,
        messageTs: 'ts-1',
      }),
    ]);
  });
});

/** What the requester reads when the monitoring check refuses (ephemeral; nothing was sent). */
function refusalSeen(kind: string, op: QcOperation, state: State): { text: string; buttons: string[] } {
  const mode = { listen: 'listening to', insert: 'in the call with', whisper: 'whispering to' }[
    state as 'listen' | 'insert' | 'whisper'
  ];
  switch (kind) {
    case 'already':
      return { text: `You are already ${mode} 2005.`, buttons: [] };
    case 'intercepting':
      return { text: 'You took over the call of 2005; hang up your phone to end it.', buttons: [] };
    case 'monitoring-other':
      return { text: 'You are monitoring 2009: stop that first.', buttons: ['Stop monitoring 2009'] };
    case 'wrong-mode':
      return { text: `You are ${mode} 2005, not whispering: use /qc stop 2005.`, buttons: [] };
    case 'not-monitoring':
      return op === 'intercept'
        ? {
            text: "You can only intercept an agent you are monitoring. Take over 2005's call in one click, or listen, insert or whisper on 2005 first.",
            buttons: [...MONITOR_BUTTONS, 'Take over'],
          }
        : {
            text: `To ${WORDS[op].verb} 2005 you must already be monitoring them.`,
            buttons: MONITOR_BUTTONS,
          };
    default:
      throw new Error(`no words for ${kind}`);
  }
}

const REFUSED_ROWS = PLAN_ROWS.filter(([, , plan]) => plan.startsWith('refused:'));

describe('runQc: refused by the monitoring check', () => {
  it.each(REFUSED_ROWS)('%s while %s → %s (nothing sent, nothing written)', async (op, state, plan) => {
    const { store, gateway, notifier, deps } = world(state);
    const before = structuredClone(store.monitoring.get(INSPECTOR));

    const outcome = await runQc(deps, qcJob(op));

    const kind = plan.slice('refused:'.length);
    expect(outcome.kind).toBe(kind);
    expect(gateway.made()).toEqual([]);
    expect(store.monitoringWrites).toEqual([]);
    expect(store.monitoring.get(INSPECTOR)).toEqual(before);
    expect(notifier.reports.map((r) => r.outcome)).toEqual([outcome]);
    expect(seen(outcome)).toEqual({ ...refusalSeen(kind, op, state), inChannel: false });
    expect(store.audits).toEqual([
      expect.objectContaining({
        operation: op,
        outcome: `refused:${kind}`,
        inspectorId: INSPECTOR,
        latencyMs: 0,
      }),
    ]);
  });
});
