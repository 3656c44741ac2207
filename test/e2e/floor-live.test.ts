import { describe, expect, it } from 'vitest';
import { floorDiff, maxInWindow } from '../../bench/floor-read';
import { gatewaySession } from '../../src/qc/run-qc';
import type { SessionRecord } from '../../src/store/types';
import { until, useLocalStack } from './support';

/**
 * A floor message stays live: opened with `/qc floor` (signed request, the worker's floor job), the stack's own keeper subscribes its agents, folds their QC_AgentState_Notify
 * events and redraws the message with chat.update, at most once per 3 s. A burst of state changes in
 * the simulator ends with the message showing the simulator's final states.
 */
const env = useLocalStack();

/** The gateway's answer (the simulator's truth) as the floor reads it: every agent but the inspector. */
async function truthOf(session: SessionRecord) {
  const read = await env.stack.deps.gateway.allAgentStatus(gatewaySession(session));
  if (!read.ok) throw new Error(`allagentstatus refused: ${read.retcode}`);
  return read.data.agents.filter((e) => e.workNo !== session.inspectorId);
}

/** `/qc floor` through Slack: the floor message in the DM, and its record for the keeper. */
async function openFloor(): Promise<{ channel: string; ts: string }> {
  const ack = await env.slack.command('/qc floor');
  expect(ack.status).toBe(200);
  const rec = await until('the floor record', async () =>
    (await env.stack.store.floors.listFloors('1001')).find((r) => r.channel && r.ts),
  );
  return { channel: rec.channel as string, ts: rec.ts as string };
}

describe('a live floor under a burst', () => {
  it('subscribes, folds the burst and ends showing the true final states, ≤ 1 chat.update per 3 s', async () => {
    await env.signIn('U_DEMO', '1001');
    const session = (await env.stack.store.getSession('1001')) as SessionRecord;
    const at = await openFloor();
    const agents = Array.from({ length: 20 }, (_, i) => String(2001 + i));
    await until(
      'the keeper subscribed the floor’s agents',
      () =>
        agents.every((id) =>
          env.sim
            .snapshot()
            .agents.find((a) => a.id === '1001')
            ?.watching.includes(id),
        ),
      { timeoutMs: 15_000 },
    );

    env.sim.bursts.start({ changesPerSecond: 25, seconds: 4, agents, seed: 7 });
    await until('the burst is over', () => !env.sim.bursts.status()?.running, { timeoutMs: 15_000 });
    const truth = await truthOf(session);
    const message = () => env.stack.slack.store.message(at.channel, at.ts);
    await until(
      'the floor shows the final states',
      () => {
        const m = message();
        return m && floorDiff(m, truth).length === 0;
      },
      { timeoutMs: 15_000, intervalMs: 200 },
    );

    expect(message()?.edits).toBeGreaterThan(0);
    const updates = env.stack.slack.store
      .callsOf('chat.update')
      .filter((c) => c.args.channel === at.channel && c.args.ts === at.ts && c.ok);
    const times = updates.map((c) => c.at);
    expect(
      maxInWindow(times, 3_000),
      `chat.update at ${times.map((t) => t - (times[0] ?? 0))}`,
    ).toBeLessThanOrEqual(1);
    // The agents' state notices are the floor's, not thread lines in the inspector's DM.
    const dm = env.stack.slack.store.channelMessages(at.channel, { replies: true });
    expect(dm.map((m) => m.text ?? '').join('\n')).not.toMatch(/Agent 20\d\d (is|hung)/);
  });
});
