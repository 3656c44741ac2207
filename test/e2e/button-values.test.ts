import { beforeAll, describe, expect, it } from 'vitest';
import { gatewayRequests, text, useLocalStack, waitForNew } from './support';

/**
 * Call IDs may contain `:`. A button value split at every `:` once turned "release call X:5" into
 * "release call X" — another agent's live call. Values are encoded so that any ID survives.
 */
const env = useLocalStack();
beforeAll(async () => {
  await env.signIn('U_DEMO', '1001');
  const since = env.mark();
  await env.slack.command('/qc allow <@U_DEMO|demo> release', 'U_ADMIN');
  await waitForNew(env.stack, since, (m) => /may now: .*release/.test(text(m)));
});

describe('a release-call confirmation for a call ID with ":"', () => {
  it('releases exactly that call ID; the live call whose ID is its prefix stays up', async () => {
    const { callId } = env.sim.startCall('2010');
    const target = `${callId}:5`;
    const ack = await env.slack.command(`/qc release-call ${target}`);
    const confirm = await env.slack.showAck('U_DEMO', ack.json);
    expect(text(confirm)).toContain(`Confirm: release call ${target}?`);
    const since = env.mark();
    await env.slack.clickButton('U_DEMO', confirm, 'release-call:');
    const result = await waitForNew(
      env.stack,
      since,
      (m) => m.ephemeralTo === undefined && /call/.test(text(m)) && /Retcode/.test(text(m)),
    );
    expect(text(result)).toContain(target);
    await env.stack.queue.drained();
    const calls = gatewayRequests(env.stack, 'forceDropCall', '/1001/');
    expect(calls).toHaveLength(1);
    expect(calls[0]?.path).toMatch(new RegExp(`forcedropcall/${encodeURIComponent(target)}$`));
    expect(env.sim.agent('2010')?.callId).toBe(callId);
  });
});
