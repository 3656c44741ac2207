import { beforeAll, describe, expect, it } from 'vitest';
import { dmChannelId } from '../../local/slack-api/index';
import { LOCAL_CHANNEL } from '../../local/stack';
import {
  expectNoSecrets,
  gatewayRequests,
  keeperIdle,
  text,
  threadLines,
  useLocalStack,
  waitForNew,
} from './support';

/**
 * Slack, not the gateway, fails: the result cannot go in the channel, an ephemeral answer cannot
 * be sent, a thread reply is refused. The user still hears what happened; nothing crashes; a
 * gateway call is never repeated because of it.
 */
const env = useLocalStack();
const DM = dmChannelId('U_DEMO');
beforeAll(() => env.signIn('U_DEMO', '1001'));

/** Run a command and wait until its job is done (result posted, monitoring settled, audit written). */
async function run(commandLine: string, channel = LOCAL_CHANNEL) {
  const since = env.mark();
  const ack = await env.slack.command(commandLine, 'U_DEMO', channel);
  expect(ack.status).toBe(200);
  await env.stack.queue.drained();
  return since;
}

/** Wait until the keeper has nothing left to post for 1001 (no Slack call can be a thread reply). */
const settled = () => keeperIdle(env.stack, '1001', 100);

describe('Slack refuses a post', () => {
  it('channel without the bot: the result comes through response_url with an invite hint; events follow by DM', async () => {
    // A first result in #qc-floor gives the inspector a thread …
    await run('/qc listen 2006');
    const first = await env.slack.waitForChannelMessage(/Listening to agent 2006/);
    await env.slack.waitForThread(first, /Phone answered: you are listening to 2006/);
    await run('/qc stop 2006');
    const stopped = await env.slack.waitForChannelMessage(/Stopped monitoring agent 2006/);
    await env.slack.waitForThread(stopped, /You are idle again/);
    await settled();
    const stopThread = threadLines(env.stack, stopped);

    // … then a command in a channel the bot is not in.
    const calls = gatewayRequests(env.stack, 'addSupervise', '/2005').length;
    const since = await run('/qc listen 2005', 'C_NOBOT');
    const answer = await waitForNew(env.stack, since, (m) => /Listening to agent 2005/.test(text(m)));
    expect(answer.channel).toBe('C_NOBOT');
    expect(answer.ephemeralTo).toBe('U_DEMO');
    expect(answer.viaResponseUrl).toBeDefined();
    expect(text(answer)).toMatch(/I can't post in this channel \(not_in_channel\)/);
    expect(text(answer)).toMatch(/Invite me with `\/invite @qc-slack`/);
    expect(env.stack.slack.store.channelMessages('C_NOBOT')).toEqual([]);
    expect(gatewayRequests(env.stack, 'addSupervise', '/2005')).toHaveLength(calls + 1);
    expect(env.stack.slack.store.callsOf('chat.postMessage').at(-1)).toMatchObject({
      ok: false,
      error: 'not_in_channel',
    });

    // The follow-up events come as DMs, as the hint says, not into the old thread of another operation.
    const dm = await env.stack.slack.store.waitFor((s) =>
      s.channelMessages(DM).find((m) => /Phone answered: you are listening to 2005/.test(text(m))),
    );
    expect(dm.threadTs).toBeUndefined();
    await settled();
    expect(threadLines(env.stack, stopped)).toEqual(stopThread);
    expect(await env.stack.store.getMonitoring('1001')).toMatchObject({ agentId: '2005', mode: 'listen' });
  });

  it('chat.postMessage fails otherwise: the user gets the result as an ephemeral answer, once', async () => {
    await settled();
    env.stack.slack.failNext('chat.postMessage', 'internal_error');
    const calls = gatewayRequests(env.stack, 'addInsert', '/2005').length;
    const since = await run('/qc insert 2005');
    const answer = await waitForNew(env.stack, since, (m) => /Joined the call of agent 2005/.test(text(m)));
    expect(answer.ephemeralTo).toBe('U_DEMO');
    expect(text(answer)).toMatch(
      /Slack refused the channel post \(internal_error\); only you see this result/,
    );
    expect(env.stack.slack.store.channelMessages(LOCAL_CHANNEL).slice(since)).toEqual([]);
    // The switch went to the gateway exactly once (listen → insert uses the switch interface).
    expect(gatewayRequests(env.stack, 'switchSuperviseOrInsert', '/2005')).toHaveLength(1);
    expect(gatewayRequests(env.stack, 'addInsert', '/2005')).toHaveLength(calls);
    expect(await env.stack.store.getMonitoring('1001')).toMatchObject({ agentId: '2005', mode: 'insert' });
  });

  it('channel post and response_url both fail: chat.postEphemeral answers', async () => {
    await settled();
    env.stack.slack.failNext('chat.postMessage', 'internal_error');
    env.stack.slack.failNext('response_url', 'expired_url');
    const since = await run('/qc listen 2005');
    const answer = await waitForNew(env.stack, since, (m) => /Listening to agent 2005/.test(text(m)));
    expect(answer).toMatchObject({ channel: LOCAL_CHANNEL, ephemeralTo: 'U_DEMO' });
    expect(answer.viaResponseUrl).toBeUndefined();
    expect(env.stack.slack.store.callsOf('chat.postEphemeral').at(-1)).toMatchObject({ ok: true });
    expect(gatewayRequests(env.stack, 'switchSuperviseOrInsert', '/2005')).toHaveLength(2);
  });

  it('every way to answer in the channel fails: a DM still reaches the user', async () => {
    await settled();
    env.stack.slack.failNext('chat.postMessage', 'internal_error');
    env.stack.slack.failNext('response_url', 'expired_url');
    env.stack.slack.failNext('chat.postEphemeral', 'channel_not_found');
    const since = await run('/qc insert 2005');
    const answer = await waitForNew(env.stack, since, (m) => /Joined the call of agent 2005/.test(text(m)));
    expect(answer.channel).toBe(DM);
    expect(answer.ephemeralTo).toBeUndefined();
    expect(text(answer)).toMatch(/only you see this result/);
    expect(gatewayRequests(env.stack, 'switchSuperviseOrInsert', '/2005')).toHaveLength(3);
  });

  it('a refused thread reply is posted on the next round, once', async () => {
    await settled();
    // A fresh result and reply in #qc-floor.
    await run('/qc stop 2005');
    await run('/qc listen 2005');
    const result = await env.slack.waitForChannelMessage(/Listening to agent 2005/);
    await env.slack.waitForThread(result, /Phone answered: you are listening to 2005/);
    await settled();
    // The next events fold into that reply (chat.update); the first edit is refused.
    env.stack.slack.failNext('chat.update', 'internal_error');
    env.sim.endCall('2005');
    await env.slack.waitForThread(result, /You are idle again/);
    await settled();
    const lines = threadLines(env.stack, result);
    expect(lines.filter((l) => /Your phone hung up/.test(l))).toHaveLength(1);
    expect(lines.filter((l) => /You are idle again/.test(l))).toHaveLength(1);
    expect(lines.findIndex((l) => /Your phone hung up/.test(l))).toBeLessThan(
      lines.findIndex((l) => /You are idle again/.test(l)),
    );
    expect(env.stack.slack.store.callsOf('chat.update').some((c) => c.error === 'internal_error')).toBe(true);
    env.sim.startCall('2005');
  });

  it('after all that the app still answers, and no Guid or password leaked', async () => {
    const since = await run('/qc status');
    const status = await waitForNew(env.stack, since, (m) => /Inspector: 1001/.test(text(m)));
    expect(text(status)).toMatch(/Gateway session: signed in/);
    await env.guids.note('1001');
    expectNoSecrets(env.stack, env.logs, env.guids.guids);
  });
});
