import { describe, expect, it } from 'vitest';
import type { StoredMessage } from '../../local/slack-api/store';
import { LOCAL_CHANNEL, LOCAL_TEAM } from '../../local/stack';
import { ALERT_CHECK_USER, type Job } from '../../src/queue/jobs';
import { buttonsOf } from './driver';
import { gatewayRequests, useLocalStack } from './support';

/**
 * Issue 13 item 15: an alert for an agent with no call says so instead of offering QC buttons. λ alerts
 * queues an alert-check; the worker reads the floor once with a signed-in session of the team.
 */
const env = useLocalStack();

const labels = (m: StoredMessage) => buttonsOf(m.blocks).map((b) => b.text?.text);
const blocksText = (m: StoredMessage) => JSON.stringify(m.blocks ?? []);
const floorReads = () => gatewayRequests(env.stack, 'queryAllAgentStatus').length;

let posted = 0;
/** Each alert its own reason: the same body signed in the same second is the same alert (a retry). */
async function postAlert(agentId: string) {
  posted++;
  const reason = `Long silence #${posted}`;
  const res = await env.slack.postAlert({ channel: LOCAL_CHANNEL, agentId, reason });
  expect(res.status, JSON.stringify(res.json)).toBe(201);
  const alertId = String(res.json?.alert_id);
  const message = env.stack.slack.store.message(LOCAL_CHANNEL, String(res.json?.ts));
  if (!message) throw new Error('no alert message');
  return { alertId, message };
}

/** An alert-check job as λ alerts queues it, under another request id (a second check of the same alert). */
function checkJob(alertId: string, requestId: string): Job {
  return {
    kind: 'alert-check',
    alertId,
    v: 1,
    requestId,
    slack: { teamId: LOCAL_TEAM, userId: ALERT_CHECK_USER, channelId: LOCAL_CHANNEL },
    requestedAt: Date.now(),
  };
}

describe('an alert for an agent with no call (issue 13, item 15)', () => {
  it('no signed-in inspector in the team: the alert stays as it is, nothing is said', async () => {
    const before = env.mark();
    const { alertId, message } = await postAlert('2001');
    await env.stack.queue.drained();
    expect(message.edits).toBe(0);
    expect(labels(message)).toEqual(['Listen', 'Whisper', 'Insert', 'Take over', 'Stop']);
    expect((await env.stack.store.alerts.getAlert(alertId))?.agentCall).toBeUndefined();
    expect(floorReads()).toBe(0);
    expect(env.stack.slack.store.messages.length).toBe(before + 1);
  });

  it('an idle agent: the alert says so, with the time, and offers Check again instead of QC buttons', async () => {
    await env.signIn('U_DEMO', '1001');
    const reads = floorReads();
    const { alertId, message } = await postAlert('2001');
    await env.stack.queue.drained();
    expect(message.edits).toBe(1);
    expect(blocksText(message)).toMatch(/\*2001\* is not on a call \(idle\) as of <!date\^\d+\^\{time\}/);
    expect(blocksText(message)).not.toContain('Nobody is on this call yet.');
    expect(message.text).toMatch(/\(not on a call\)$/);
    expect(labels(message)).toEqual(['Check again']);
    expect(floorReads()).toBe(reads + 1);
    const stored = await env.stack.store.alerts.getAlert(alertId);
    expect(stored?.agentCall).toMatchObject({ state: 'idle', checkedAt: expect.any(Number) });

    // A second check (another delivery, the same finding) changes nothing: no edit, no write.
    await env.stack.queue.send(checkJob(alertId, `again-${alertId}`), {
      groupId: `alert-${alertId}`,
      deduplicationId: `again-${alertId}`,
    });
    await env.stack.queue.drained();
    expect(message.edits).toBe(1);
    expect((await env.stack.store.alerts.getAlert(alertId))?.version).toBe(stored?.version);

    // The call starts later: Check again brings the QC buttons back.
    env.sim.startCall('2001');
    await env.slack.clickButton('U_DEMO2', message, alertId);
    await env.stack.slack.store.waitFor(() => (message.edits >= 2 ? message : undefined));
    expect(labels(message)).toEqual(['Listen', 'Whisper', 'Insert', 'Take over', 'Stop']);
    expect(blocksText(message)).not.toContain('is not on a call');
    expect((await env.stack.store.alerts.getAlert(alertId))?.agentCall).toBeUndefined();
    env.sim.endCall('2001');
  });

  it('an agent on a call keeps the QC buttons (one floor read, no edit)', async () => {
    const reads = floorReads();
    const { alertId, message } = await postAlert('2005');
    await env.stack.queue.drained();
    expect(floorReads()).toBe(reads + 1);
    expect(message.edits).toBe(0);
    expect(labels(message)).toEqual(['Listen', 'Whisper', 'Insert', 'Take over', 'Stop']);
    expect((await env.stack.store.alerts.getAlert(alertId))?.agentCall).toBeUndefined();
  });

  it('a signed-out agent says "signed out"; the same job delivered twice reads the floor once', async () => {
    const agent = env.sim.rec('2002');
    if (!agent) throw new Error('no agent 2002');
    env.sim.signOut(agent, 'logout');
    const { alertId, message } = await postAlert('2002');
    await env.stack.queue.drained();
    expect(blocksText(message)).toMatch(/\*2002\* is not on a call \(signed out\)/);
    const reads = floorReads();
    const job = checkJob(alertId, `alert-check-${alertId}`);
    await env.stack.queue.send(job, { groupId: `alert-${alertId}`, deduplicationId: `dup-${alertId}` });
    await env.stack.queue.drained();
    expect(floorReads()).toBe(reads);
    expect(message.edits).toBe(1);
  });

  it('the gateway cannot be reached: the alert keeps its buttons, the check is not retried into the dead-letter queue', async () => {
    env.sim.injectFault({ interface: 'queryAllAgentStatus', kind: 'reset', count: Number.POSITIVE_INFINITY });
    try {
      const dead = env.stack.queue.deadLetters.length;
      const logged = env.logs.lines.length;
      const { message } = await postAlert('2004');
      await env.stack.queue.drained();
      // A failed read is not a failed job: only the gateway client's own warnings, no job failure.
      const lines = env.logs.lines.slice(logged).filter((l) => /"level":"(warn|error)"/.test(l));
      expect(lines.filter((l) => !/"op":"queryAllAgentStatus".*gateway call failed/.test(l))).toEqual([]);
      expect(message.edits).toBe(0);
      expect(labels(message)).toEqual(['Listen', 'Whisper', 'Insert', 'Take over', 'Stop']);
      expect(env.stack.queue.deadLetters.length).toBe(dead);
    } finally {
      env.sim.clearFaults();
    }
  });
});
