import { describe, expect, it } from 'vitest';
import type { StoredMessage } from '../../local/slack-api/store';
import { signedHeaders, slashCommandBody } from '../../local/slack-sign';
import { LOCAL_CHANNEL, LOCAL_SIGNING_SECRET, LOCAL_TEAM } from '../../local/stack';
import { buttonsOf } from './driver';
import { keeperIdle, text, until, useLocalStack } from './support';

/**
 * Issue 13, "What the supervisor reads", end to end: the first DM after sign-in, the ack's progress
 * note answered in place, "sign in first" at once, and an alert that shows everyone on its agent.
 */
const env = useLocalStack();

/**
 * A slash command as Slack runs it: signed, with its own response_url, and the ack shown to the user
 * as the message that response_url's `replace_original` / `delete_original` act on.
 */
async function commandShown(line: string, user: string) {
  const [command = '', ...rest] = line.split(' ');
  const responseUrl = env.stack.slack.newResponseUrl({ channel: LOCAL_CHANNEL, user });
  const body = slashCommandBody({
    command,
    text: rest.join(' '),
    userId: user,
    teamId: LOCAL_TEAM,
    channelId: LOCAL_CHANNEL,
    channelName: 'qc-floor',
    responseUrl,
  });
  const res = await fetch(`${env.stack.url}/slack/events`, {
    method: 'POST',
    headers: signedHeaders(LOCAL_SIGNING_SECRET, body),
    body,
  });
  const ackBody = await res.text();
  const note = env.stack.slack.recordCommandAck({
    channel: LOCAL_CHANNEL,
    user,
    command,
    status: res.status,
    body: ackBody,
    responseUrl,
  });
  return { status: res.status, json: JSON.parse(ackBody) as Record<string, unknown>, note };
}

const progressNotes = (user: string) =>
  env.stack.slack.store.ephemeralFor(user).filter((m) => /hourglass|⏳/.test(`${m.text}`));

describe('the first hour, as the supervisor reads it', () => {
  it('/intercept before signing in: "sign in first" at once, with the sign-in button, no progress note', async () => {
    const ack = await commandShown('/intercept 2005', 'U_DEMO2');
    expect(ack.status).toBe(200);
    expect(String(ack.json.text)).toMatch(/Inspector 1003 is not signed in to the gateway: sign in first/);
    expect(String(ack.json.text)).not.toMatch(/Intercepting/);
    expect(buttonsOf(ack.json.blocks).map((b) => b.action_id)).toContain('qc_open_signin:0');
    // An operation that asks for a confirmation first: no confirmation to click in vain.
    const force = await commandShown('/qc force-busy 2005', 'U_DEMO2');
    expect(String(force.json.text)).toMatch(/sign in first/);
  });

  it('right after sign-in, no "You are idle again"', async () => {
    await env.signIn('U_DEMO', '1001');
    await keeperIdle(env.stack, '1001', 100);
    const dm = env.stack.slack.store.messages.filter((m) => m.channel.startsWith('D'));
    expect(dm.map(text).filter((t) => /idle again/.test(t))).toEqual([]);
  });

  it('the progress note gives way to the result: deleted under a channel result, replaced by a refusal', async () => {
    const first = await commandShown('/qc listen 2005', 'U_DEMO');
    expect(first.note?.text).toMatch(/Listening to 2005…/);
    const result = await env.slack.waitForChannelMessage(/Listening to agent 2005\. Retcode 0/);
    expect(result).toBeDefined();
    await until('the note deleted', () => (first.note as StoredMessage).deleted === true);

    const again = await commandShown('/qc listen 2005', 'U_DEMO');
    const note = again.note as StoredMessage;
    await until('the note replaced by the refusal', () => /already listening to 2005/.test(note.text ?? ''));
    expect(progressNotes('U_DEMO')).toEqual([]);
  });

  it('an alert shows who monitors its agent through a command, not "Nobody is on this call yet"', async () => {
    // U_DEMO listens to 2005 through /qc listen (the test above). An alert on 2005, then a click on it.
    const res = await env.slack.postAlert({ channel: LOCAL_CHANNEL, agentId: '2005', reason: 'Escalation' });
    expect(res.status).toBe(201);
    const alert = env.stack.slack.store.message(LOCAL_CHANNEL, String(res.json?.ts)) as StoredMessage;
    // Posted: it names who is on the agent already.
    expect(JSON.stringify(alert.blocks)).toMatch(/<@U_DEMO> listening to 2005 since/);
    await env.signIn('U_DEMO2', '1003');
    await env.slack.clickButton('U_DEMO2', alert, 'whisper:2005:');
    await env.stack.slack.store.waitFor(() => (alert.edits > 0 ? alert : undefined));
    const shown = JSON.stringify(alert.blocks);
    expect(shown).toMatch(/<@U_DEMO> listening to 2005 since/);
    expect(shown).not.toMatch(/Nobody is on this call yet/);
    // The result sits in the alert's thread: it promises no thread of its own (item 14).
    const result = await env.slack.waitForThread(alert, /Whispering to agent 2005/);
    expect(`${result.text} ${JSON.stringify(result.blocks)}`).not.toMatch(/follow-up events in the thread/);
  });
});
