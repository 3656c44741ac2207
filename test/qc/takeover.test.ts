import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_JOB_LIMITS } from '../../src/qc/job-limits';
import { processJob } from '../../src/qc/process-job';
import { runTakeover } from '../../src/qc/takeover';
import { advanceTakeover, STALE_STEP_MS } from '../../src/qc/takeover-step';
import { flushPendingEvents } from '../../src/qc/thread-events';
import type { Job } from '../../src/queue/jobs';
import { outcomeMessage } from '../../src/slack/blocks/qc-outcome';
import { refusedWith } from '../helpers/fake-gateway';
import { AGENT, INSPECTOR, type State, seen, session, slack, T0, TEAM, USER, world } from './core-fixtures';

/**
 * One-click take-over over in-memory fakes: the worker's listen, then the keeper's step after the
 * inspector's events were applied through the real flush (phone answered → intercept; no answer in
 * time → stop listening; someone else first → said, no gateway call), at most one gateway call per
 * step and nothing left pending.
 */

const WAIT = 30_000;
const OTHER_INSPECTOR = '1002';

function setup(state: State = 'none', permissions?: string[]) {
  const w = world(state, permissions);
  let now = T0;
  const deps = { ...w.deps, now: () => now, limits: { ...DEFAULT_JOB_LIMITS, takeoverAnswerMs: WAIT } };
  let seq = 0;
  const job = (
    extra: Partial<Extract<Job, { kind: 'takeover' }>> = {},
  ): Extract<Job, { kind: 'takeover' }> => ({
    v: 1,
    kind: 'takeover',
    agentId: AGENT,
    inspectorId: INSPECTOR,
    requestId: 'req-takeover',
    slack,
    requestedAt: T0,
    ...extra,
  });
  return {
    ...w,
    deps,
    job,
    tick: (ms: number) => {
      now += ms;
    },
    /** The gateway queues these events for the inspector (the keeper's poll would take them). */
    events: async (...types: string[]) => {
      for (const type of types)
        await w.store.savePending({
          inspectorId: INSPECTOR,
          sessionId: 'sess-1',
          seq: ++seq,
          event: { type, workNo: INSPECTOR, content: {} },
          receivedAt: now,
        });
    },
    /** One keeper turn: the events applied, then the take-over's next step. */
    keeper: async () => {
      await flushPendingEvents(deps, session());
      return advanceTakeover(deps, session());
    },
    /** What the channel saw, as text (results and steps; refusals are ephemeral). */
    said: () => w.notifier.reports.map((r) => outcomeMessage(r.outcome, USER).text),
  };
}

/** Another inspector (U2) holds 2005's call. */
function otherIntercepting(t: ReturnType<typeof setup>) {
  t.store.sessions.set(OTHER_INSPECTOR, {
    ...session(),
    inspectorId: OTHER_INSPECTOR,
    sessionId: 's2',
    userId: 'U2',
  });
  t.store.monitoring.set(OTHER_INSPECTOR, {
    inspectorId: OTHER_INSPECTOR,
    teamId: TEAM,
    agentId: AGENT,
    mode: 'intercept',
    confirmed: true,
    version: 1,
  });
}

describe('one-click take-over', () => {
  it('answered: listen, then once the phone answers one intercept, its result in the take-over thread', async () => {
    const t = setup();
    await runTakeover(t.deps, t.job());
    expect(t.gateway.made()).toEqual(['qc(listen, 2005)']);
    expect(t.said()[0]).toContain('Taking over 2005: answer your phone');
    const thread = t.notifier.reports[0]?.thread ?? { channel: 'C1', ts: 'ts-1' };
    expect((await t.store.getMonitoring(INSPECTOR))?.takeover).toMatchObject({ agentId: AGENT });

    await t.events('AgentState_Busy', 'AgentOther_PhoneAlerting');
    expect(await t.keeper()).toBe(true);
    expect(t.gateway.made()).toEqual(['qc(listen, 2005)']);
    await t.events('AgentOther_PhoneOffhook');
    expect(await t.keeper()).toBe(false);
    expect(t.gateway.made()).toEqual(['qc(listen, 2005)', 'intercept(2005)']);
    expect(t.notifier.reports.at(-1)).toMatchObject({ thread: { channel: 'C1', ts: 'ts-1' } });
    expect(t.said().at(-1)).toContain('Intercepted the call of agent 2005');
    const m = await t.store.getMonitoring(INSPECTOR);
    expect(m).toMatchObject({ agentId: AGENT, mode: 'intercept' });
    expect(m?.takeover).toBeUndefined();

    // Talking and Record go to the take-over's thread.
    t.notifier.replies.length = 0;
    await t.events('AgentEvent_Talking', 'AgentMediaEvent_Record');
    await t.keeper();
    expect(t.notifier.replies.at(-1)?.thread).toEqual(thread);
    expect(t.notifier.replies.at(-1)?.lines.join('\n')).toMatch(/Talking[\s\S]*Recording/);
    expect(t.gateway.made()).toHaveLength(2);
  });

  it('not answered: after the wait one cancel, the words say so, nothing pending', async () => {
    const t = setup();
    await runTakeover(t.deps, t.job());
    await t.events('AgentState_Busy', 'AgentOther_PhoneAlerting');
    await t.keeper();
    t.tick(WAIT - 1);
    expect(await t.keeper()).toBe(true);
    expect(t.gateway.made()).toEqual(['qc(listen, 2005)']);
    t.tick(1);
    expect(await t.keeper()).toBe(false);
    expect(t.gateway.made()).toEqual(['qc(listen, 2005)', 'cancelMonitor(2005)']);
    expect(t.said().at(-1)).toBe(
      "Your phone did not answer within 30 s: stopped listening to 2005; the customer's call is unchanged.",
    );
    const m = await t.store.getMonitoring(INSPECTOR);
    expect(m?.takeover).toBeUndefined();
    expect(m?.agentId).toBeUndefined();
    expect(await t.keeper()).toBe(false);
    expect(t.gateway.made()).toHaveLength(2);
  });

  it('someone else first while the phone rings: who took it, no further gateway call', async () => {
    const t = setup();
    await runTakeover(t.deps, t.job());
    await t.events('AgentState_Busy', 'AgentOther_PhoneAlerting');
    await t.keeper();
    otherIntercepting(t);
    await t.events('AgentOther_PhoneRelease', 'AgentState_Ready');
    expect(await t.keeper()).toBe(false);
    expect(t.gateway.made()).toEqual(['qc(listen, 2005)']);
    expect(t.said().at(-1)).toBe('<@U2> took over 2005 first.');
    expect((await t.store.getMonitoring(INSPECTOR))?.takeover).toBeUndefined();
  });

  it('someone else first just before the intercept: the refused intercept says who', async () => {
    const t = setup();
    await runTakeover(t.deps, t.job());
    await t.events('AgentState_Busy', 'AgentOther_PhoneAlerting', 'AgentOther_PhoneOffhook');
    otherIntercepting(t);
    t.gateway.answers.intercept = refusedWith('900-005');
    expect(await t.keeper()).toBe(false);
    expect(t.gateway.made()).toEqual(['qc(listen, 2005)', 'intercept(2005)']);
    expect(t.said().at(-1)).toBe('<@U2> took over 2005 first.');
    expect((await t.store.getMonitoring(INSPECTOR))?.takeover).toBeUndefined();
  });

  it('someone else holds the call already: refused before the gateway', async () => {
    const t = setup();
    otherIntercepting(t);
    await runTakeover(t.deps, t.job());
    expect(t.gateway.made()).toEqual([]);
    expect(seen(t.notifier.reports[0]?.outcome ?? { kind: 'not-linked' }).text).toBe(
      '<@U2> took over 2005 first.',
    );
  });

  it('not allowed to intercept: refused, no gateway call', async () => {
    const t = setup('none', ['listen']);
    await runTakeover(t.deps, t.job());
    expect(t.gateway.made()).toEqual([]);
    expect(t.notifier.reports[0]?.outcome).toMatchObject({ kind: 'not-allowed', permission: 'intercept' });
  });

  it('already listening to the agent: the intercept at once', async () => {
    const t = setup('listen');
    await runTakeover(t.deps, t.job());
    expect(t.gateway.made()).toEqual(['intercept(2005)']);
    expect((await t.store.getMonitoring(INSPECTOR))?.takeover).toBeUndefined();
  });

  it('monitoring another agent: today’s refusal, no gateway call', async () => {
    const t = setup('other');
    await runTakeover(t.deps, t.job());
    expect(t.gateway.made()).toEqual([]);
    expect(t.notifier.reports[0]?.outcome.kind).toBe('monitoring-other');
  });

  it('a second take-over while one waits is refused; two keepers at once intercept once', async () => {
    const t = setup();
    await runTakeover(t.deps, t.job());
    await runTakeover(t.deps, t.job({ requestId: 'req-2' }));
    expect(t.notifier.reports.at(-1)?.outcome.kind).toBe('takeover-pending');
    await t.events('AgentState_Busy', 'AgentOther_PhoneAlerting', 'AgentOther_PhoneOffhook');
    await flushPendingEvents(t.deps, session());
    await Promise.all([advanceTakeover(t.deps, session()), advanceTakeover(t.deps, session())]);
    await t.keeper();
    expect(t.gateway.made()).toEqual(['qc(listen, 2005)', 'intercept(2005)']);
  });

  it('a claimed step whose keeper stopped is reported as unknown, never repeated', async () => {
    const t = setup();
    await runTakeover(t.deps, t.job());
    const m = await t.store.getMonitoring(INSPECTOR);
    if (!m?.takeover) throw new Error('no take-over stored');
    await t.store.putMonitoring({ ...m, takeover: { ...m.takeover, claimedAt: T0 } }, m.version);
    await t.events('AgentOther_PhoneOffhook');
    expect(await t.keeper()).toBe(true);
    t.tick(STALE_STEP_MS + 1);
    expect(await t.keeper()).toBe(false);
    expect(t.gateway.made()).toEqual(['qc(listen, 2005)']);
    expect(t.said().at(-1)).toContain('did not finish');
  });

  it('a take-over job that waited too long in the queue is not run (no gateway call), the user told', async () => {
    const t = setup();
    t.tick(120_000);
    const result = await processJob(t.deps, t.job({ requestId: 'req-old' }));
    expect(result.status).toBe('expired');
    expect(t.gateway.made()).toEqual([]);
    expect(t.notifier.tells[0]?.notice).toMatchObject({ kind: 'job-expired', request: { op: 'intercept' } });
  });

  it('any order of answer, time, someone else and keeper turns: at most one intercept, nothing left pending', async () => {
    const step = fc.oneof(
      fc.constant({ kind: 'answer' as const }),
      fc.constant({ kind: 'ring' as const }),
      fc.constant({ kind: 'other-first' as const }),
      fc.constant({ kind: 'turn' as const }),
      fc.constant({ kind: 'double-turn' as const }),
      fc.integer({ min: 1, max: 20_000 }).map((ms) => ({ kind: 'tick' as const, ms })),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(step, { maxLength: 12 }), async (steps) => {
        const t = setup();
        await runTakeover(t.deps, t.job());
        for (const s of steps) {
          if (s.kind === 'answer') await t.events('AgentOther_PhoneOffhook');
          if (s.kind === 'ring') await t.events('AgentState_Busy', 'AgentOther_PhoneAlerting');
          if (s.kind === 'other-first') {
            otherIntercepting(t);
            await t.events('AgentOther_PhoneRelease', 'AgentState_Ready');
          }
          if (s.kind === 'tick') t.tick(s.ms);
          if (s.kind === 'turn') await t.keeper();
          if (s.kind === 'double-turn') {
            await flushPendingEvents(t.deps, session());
            await Promise.all([advanceTakeover(t.deps, session()), advanceTakeover(t.deps, session())]);
          }
        }
        // Whatever happened, the wait ends: the keeper (a new one, say) finishes the take-over.
        t.tick(WAIT + STALE_STEP_MS + 1);
        await t.keeper();
        const made = t.gateway.made();
        expect(made.filter((c) => c.startsWith('intercept')).length).toBeLessThanOrEqual(1);
        expect(made.filter((c) => !c.startsWith('qc(listen')).length).toBeLessThanOrEqual(1);
        expect((await t.store.getMonitoring(INSPECTOR))?.takeover).toBeUndefined();
        // And the channel heard how it ended, in one message after "Taking over…".
        const said = t.said();
        expect(said[0]).toContain('Taking over 2005: answer your phone');
        expect(said).toHaveLength(2);
        const end = said[1] ?? '';
        if (made.includes('intercept(2005)'))
          expect(end).toMatch(/Intercepted the call of agent 2005|took over 2005 first/);
        else if (made.includes('cancelMonitor(2005)')) expect(end).toContain('did not answer within 30 s');
        else expect(end).toMatch(/took over 2005 first|no longer listening/);
      }),
      { numRuns: 150 },
    );
  });
});
