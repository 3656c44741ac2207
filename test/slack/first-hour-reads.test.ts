/**
 * Issue 13, "What the supervisor reads": words and buttons a supervisor sees in the first hour.
 */
import { describe, expect, it } from 'vitest';
import { describeEvent } from '../../src/qc/event-lines';
import type { QcOutcome } from '../../src/qc/outcome';
import { outcomeMessage } from '../../src/slack/blocks/qc-outcome';
import { parseInterceptCommand, parseQcCommand } from '../../src/slack/parse';

describe('agent IDs out of range (item 13)', () => {
  it('an ID of digits that is too large is out of range, not "not digits"', () => {
    const parsed = parseInterceptCommand('99999999', 59_999);
    expect(parsed).toMatchObject({ kind: 'usage' });
    const problem = (parsed as { problem: string }).problem;
    expect(problem).toMatch(/`99999999` is out of range: agent IDs run from 101 to 59999/);
    expect(problem).not.toMatch(/digits only/);
    expect((parseQcCommand('listen 1234567890123', 999_999) as { problem: string }).problem).toMatch(
      /out of range: agent IDs run from 101 to 999999/,
    );
    expect((parseQcCommand('who 100', 59_999) as { problem: string }).problem).toMatch(/out of range/);
  });

  it('letters are still "not an agent ID"', () => {
    expect((parseInterceptCommand('20a5', 59_999) as { problem: string }).problem).toMatch(
      /is not an agent ID: an agent ID is digits only/,
    );
  });
});

describe('the sign-in Ready is not "idle again" (item 10)', () => {
  const ready = { type: 'AgentState_Ready', workNo: '1001', content: null } as const;
  const base = { inspectorId: '1001', teamId: 'T', confirmed: false };

  it('right after sign-in (nobody monitored, nothing asked): no line', () => {
    expect(describeEvent(ready, undefined).line).toBeNull();
    expect(describeEvent(ready, base, { agentId: undefined, mode: undefined, op: 'events' }).line).toBeNull();
  });

  it('after a stop, or a call that ended, the inspector is idle again', () => {
    expect(describeEvent(ready, base, { agentId: '2005', op: 'stop' }).line).toMatch(/idle again/);
    const intercepting = { ...base, agentId: '2005', mode: 'intercept' as const, confirmed: true };
    expect(describeEvent(ready, intercepting).line).toMatch(/idle again/);
    const listening = { ...base, agentId: '2005', mode: 'listen' as const, confirmed: true };
    expect(describeEvent(ready, listening).line).toMatch(/idle again/);
  });
});

describe('"follow-up events in the thread" only where a thread follows (item 14)', () => {
  const ok: QcOutcome = {
    kind: 'gateway',
    op: 'intercept',
    call: 'intercept',
    agentId: '2005',
    inspectorId: '1001',
    ok: true,
    retcode: '0',
    latencyMs: 12,
  };
  const all = (m: { text: string; blocks: unknown[] }) => `${m.text}\n${JSON.stringify(m.blocks)}`;

  it('a result posted in the channel starts a thread: it says so', () => {
    expect(all(outcomeMessage(ok, 'U1'))).toMatch(/follow-up events in the thread/);
  });

  it('a result posted inside an alert thread, or shown to the requester alone, does not', () => {
    expect(all(outcomeMessage(ok, 'U1', { followUp: 'none' }))).not.toMatch(/follow-up events/);
  });
});
