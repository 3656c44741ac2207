import { describe, expect, it } from 'vitest';
import { until, useLocalStack } from './support';

/**
 * Slack's 3 s, kept by the local Slack API in e2e tests: a trigger_id expires 3 s after it was issued
 * and an ack after 3 s is flagged (stack.slack.lateAcks()).
 */
const env = useLocalStack();

describe('the 3 s ack and trigger_id budget, end to end', () => {
  it('/qc signin: the modal opens from the ack path, the sign-in completes, no ack was late', async () => {
    const late = env.stack.slack.lateAcks().length;
    const res = await env.slack.signIn('U_DEMO');
    expect(JSON.stringify(res.json)).toMatch(/Signed in as inspector \*1001\*/);
    const status = await env.slack.command('/qc status', 'U_DEMO');
    expect(status.status).toBe(200);
    expect(env.stack.slack.lateAcks().slice(late)).toEqual([]);
  });

  it('a trigger_id past its life: views.open answers expired_trigger_id and the ack says so in words, no modal', async () => {
    // A short life (50 ms) and a request sent once it has certainly passed: nothing here depends on speed.
    env.stack.slack.setDeadlines(50);
    try {
      const triggerId = env.stack.slack.newTriggerId({ user: 'U_DEMO2' });
      const issued = Date.now();
      await until('the trigger_id to expire', () => Date.now() - issued > 60, { intervalMs: 10 });
      const views = env.stack.slack.store.views.length;
      const calls = env.stack.slack.store.calls.length;
      const ack = await env.slack.post(env.slack.commandBody('/qc signin', 'U_DEMO2', undefined, triggerId));
      expect(ack.status).toBe(200);
      expect(ack.json?.text).toMatch(/did not open the sign-in window in time/);
      expect(ack.json?.text).not.toMatch(/internal error/);
      expect(env.stack.slack.store.views.length).toBe(views);
      const opens = env.stack.slack.store.calls.slice(calls).filter((c) => c.method === 'views.open');
      expect(opens.map((c) => c.error)).toEqual(['expired_trigger_id']);
      expect(env.stack.slack.lateAcks().map((a) => a.triggerId)).toContain(triggerId);
    } finally {
      env.stack.slack.setDeadlines(true);
    }
  });
});
