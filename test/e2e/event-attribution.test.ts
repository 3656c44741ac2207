import { describe, expect, it } from 'vitest';
import { Keeper } from '../../src/qc/keeper';
import { keeperIdle, threadLines, useLocalStack } from './support';

/**
 * Each event belongs under the operation that caused it. `/qc listen 2005` then `/intercept 2005`
 * right after: both results are posted before the keeper takes the listen's "ringing" and
 * "answered" from the gateway. Those still go in the listen's thread; Talking and Record in the
 * intercept's.
 */
// The stack's own keeper scans once at start (nobody is signed in yet) and then not for 10 min:
// this file runs its keepers itself, when it wants the events taken.
const env = useLocalStack({ keeper: { rescanMs: 600_000, runMs: 600_000 } });

/** A keeper run until `done` resolves; its lease is released when it ends. */
async function keeperUntil(done: () => Promise<unknown>): Promise<void> {
  const abort = new AbortController();
  const run = new Keeper(env.stack.deps, { rescanMs: 100, runMs: 60_000 }).run(abort.signal);
  try {
    await done();
  } finally {
    abort.abort();
    await run;
  }
}

describe('events of two operations in quick succession', () => {
  it('listen then intercept at once: ringing/answered under the listen, Talking/Record under the intercept', async () => {
    await env.signIn('U_DEMO', '1001');
    // The sign-in's own events (InService, Ready) are taken first, so only the operations' remain.
    await keeperUntil(() => keeperIdle(env.stack, '1001', 100));

    const listenAck = await env.slack.command('/qc listen 2005');
    const interceptAck = await env.slack.command('/intercept 2005');
    expect(listenAck.json?.text).toMatch(/Listening to 2005/);
    expect(interceptAck.json?.text).toMatch(/Intercepting 2005/);
    const listened = await env.slack.waitForChannelMessage(/Listening to agent 2005/);
    const intercepted = await env.slack.waitForChannelMessage(/Intercepted the call of agent 2005/);

    // Now the keeper takes the events (five of them queued at the gateway: Busy, ringing, answered,
    // Talking, Record), after both results are in the channel.
    await keeperUntil(async () => {
      await env.slack.waitForThread(intercepted, /Recording /);
      await env.slack.waitForThread(listened, /Phone answered/);
      await keeperIdle(env.stack, '1001', 100);
    });

    const listenLines = threadLines(env.stack, listened).join('\n');
    const interceptLines = threadLines(env.stack, intercepted).join('\n');
    expect(listenLines).toMatch(/Your phone is ringing/);
    expect(listenLines).toMatch(/Phone answered: you are listening to 2005/);
    expect(listenLines).not.toMatch(/Talking|Recording/);
    expect(interceptLines).toMatch(/Talking: caller/);
    expect(interceptLines).toMatch(/Recording /);
    expect(interceptLines).not.toMatch(/ringing|Phone answered/);
    // The state the intercept left stands.
    expect(await env.stack.store.getMonitoring('1001')).toMatchObject({ agentId: '2005', mode: 'intercept' });
  });
});
