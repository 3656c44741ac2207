import { WebClient } from '@slack/web-api';
import { describe, expect, it } from 'vitest';
import type { StoredMessage } from '../../local/slack-api/store';
import { nowTs } from '../../local/slack-sign';
import { LOCAL_ALERTS_SECRET, LOCAL_BOT_TOKEN, LOCAL_CHANNEL } from '../../local/stack';
import { signAlert } from '../../src/alerts/signature';
import { buttonsOf } from './driver';
import { expectNoSecrets, gatewayRequests, text, useLocalStack, waitForNew } from './support';

/**
 * Monitoring alerts end to end: a signed POST /alerts becomes a Block Kit message with QC buttons;
 * clicks on it run the same QC path as the commands, answer in the alert's thread, and edit the alert
 * (who is on it, who intercepted). Each case checks what people see, which gateway calls were made
 * (the simulator's request log) and what was stored.
 */
const env = useLocalStack();

const postCalls = () => env.stack.slack.store.callsOf('chat.postMessage').length;
/** Gateway requests of one interface made by one inspector (the inspector is the URI's first ID). */
const gw = (logName: string, inspectorId: string) =>
  gatewayRequests(env.stack, logName, `/${inspectorId}/`).length;

/** Post an alert (201) and return its message and id. */
async function postAlert(agentId: string, reason: string, extra: Record<string, unknown> = {}) {
  const res = await env.slack.postAlert({ channel: LOCAL_CHANNEL, agentId, reason, ...extra });
  expect(res.status, JSON.stringify(res.json)).toBe(201);
  const alertId = String(res.json?.alert_id);
  const ts = String(res.json?.ts);
  const message = env.stack.slack.store.message(LOCAL_CHANNEL, ts);
  if (!message) throw new Error(`alert ${alertId} has no message`);
  return { alertId, message };
}

/** Waits until the alert message has been edited so that `match` holds. */
function waitForAlertEdit(message: StoredMessage, match: (m: StoredMessage) => boolean) {
  return env.stack.slack.store.waitFor(() => (message.edits > 0 && match(message) ? message : undefined));
}

const blocksText = (m: StoredMessage) => JSON.stringify(m.blocks ?? []);
const buttonLabels = (m: StoredMessage) => buttonsOf(m.blocks).map((b) => b.text?.text);

describe('POST /alerts', () => {
  it('a signed alert → 201 and a Block Kit alert in the channel with the QC buttons', async () => {
    const { alertId, message } = await postAlert('2005', 'Customer asked for a supervisor', {
      severity: 'critical',
      customer: 'ACME <Ltd>',
      callId: '1732500000-2005',
    });
    expect(alertId).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
    expect(message.text).toMatch(/CRITICAL alert: agent 2005: Customer asked for a supervisor/);
    expect(blocksText(message)).toMatch(/:red_circle: Critical · agent \*2005\*/);
    // The sender's text is escaped: no mention or link can be injected.
    expect(blocksText(message)).toContain('ACME &lt;Ltd&gt;');
    expect(blocksText(message)).toContain('Nobody is on this call yet.');
    expect(buttonLabels(message)).toEqual(['Listen', 'Whisper', 'Insert', 'Take over', 'Stop']);
    const buttons = buttonsOf(message.blocks);
    for (const b of buttons.filter((b) => b.text?.text !== 'Take over')) {
      expect(b.action_id).toMatch(/^qc_alert:\d$/);
      expect(b.value).toBe(`${b.text?.text?.toLowerCase()}:2005:${alertId}`);
    }
    // Take over replaces Intercept: one click listens if need be, waits for the phone, intercepts.
    const takeOver = buttons.find((b) => b.text?.text === 'Take over');
    expect(takeOver?.action_id).toMatch(/^qc_floor_takeover:\d$/);
    expect(takeOver?.value).toBe(`2005:${alertId}`);
    expect(takeOver?.style).toBe('danger');
    expect(takeOver?.confirm).toMatchObject({ style: 'danger' });
    expect(JSON.stringify(takeOver?.confirm)).toMatch(
      /Take over 2005's call\? qc-slack listens, rings your phone/,
    );
    const stored = await env.stack.store.alerts.getAlert(alertId);
    expect(stored).toMatchObject({
      agentId: '2005',
      channel: LOCAL_CHANNEL,
      ts: message.ts,
      severity: 'critical',
    });
  });

  it('forged signature or stale timestamp → 401 and nothing posted', async () => {
    const posts = postCalls();
    const since = env.mark();
    const body = { channel: LOCAL_CHANNEL, agentId: '2005', reason: 'forged' };
    const forged = await env.slack.postAlert(body, { secret: 'not-the-secret' });
    expect(forged.status).toBe(401);
    expect(forged.json).toMatchObject({ ok: false, error: 'unauthorized' });
    expect(String(forged.json?.message)).toMatch(/does not match/);
    const stale = await env.slack.postAlert(body, { timestamp: Math.floor(Date.now() / 1000) - 400 });
    expect(stale.status).toBe(401);
    expect(String(stale.json?.message)).toMatch(/s in the past/);
    const unsigned = await env.slack.postAlert(body, { signature: '' });
    expect(unsigned.status).toBe(401);
    expect(postCalls()).toBe(posts);
    expect(env.stack.slack.store.messages.length).toBe(since);
    // The answers never quote the secret.
    expect(JSON.stringify([forged.json, stale.json, unsigned.json])).not.toContain(LOCAL_ALERTS_SECRET);
  });

  it('bad JSON or a bad field → 400 naming the field; nothing posted', async () => {
    const posts = postCalls();
    const notJson = await env.slack.postAlert('{"channel": "C_QC", ');
    expect(notJson.status).toBe(400);
    expect(notJson.json).toMatchObject({ error: 'invalid_alert', field: 'body' });
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ channel: LOCAL_CHANNEL, agentId: 'abc', reason: 'x' }, 'agentId'],
      [{ channel: LOCAL_CHANNEL, agentId: '2005' }, 'reason'],
      [{ channel: '#qc-floor', agentId: '2005', reason: 'x' }, 'channel'],
      [{ channel: LOCAL_CHANNEL, agentId: '2005', reason: 'x', severity: 'panic' }, 'severity'],
      [{ channel: LOCAL_CHANNEL, agentId: '2005', reason: 'x', callId: 'no spaces please' }, 'callId'],
    ];
    for (const [body, field] of cases) {
      const res = await env.slack.postAlert(body);
      expect(res.status, field).toBe(400);
      expect(res.json?.field, field).toBe(field);
      expect(String(res.json?.message), field).toMatch(new RegExp(`^${field}: `));
    }
    expect(postCalls()).toBe(posts);
  });

  it('the same signed request twice → one message; the second answer is 200 duplicate', async () => {
    const body = JSON.stringify({ channel: LOCAL_CHANNEL, agentId: '2006', reason: 'Sent twice' });
    const timestamp = Math.floor(Date.now() / 1000);
    const signature = signAlert(LOCAL_ALERTS_SECRET, timestamp, body);
    const first = await env.slack.postAlert(body, { timestamp, signature });
    const second = await env.slack.postAlert(body, { timestamp, signature });
    expect(first.status).toBe(201);
    expect(second.status).toBe(200);
    expect(second.json).toMatchObject({
      duplicate: true,
      alert_id: first.json?.alert_id,
      ts: first.json?.ts,
    });
    expect(env.slack.channel().filter((m) => /Sent twice/.test(text(m)))).toHaveLength(1);
  });

  it('an alert for a channel without the bot → 422 with the invite hint', async () => {
    const res = await env.slack.postAlert({
      channel: 'C_NOBOT',
      agentId: '2005',
      reason: 'Nobody can see this',
    });
    expect(res.status).toBe(422);
    expect(res.json).toMatchObject({ ok: false, error: 'channel_unreachable' });
    expect(String(res.json?.message)).toMatch(/not_in_channel.*\/invite @qc-slack/);
    expect(env.slack.channel('C_NOBOT')).toEqual([]);
  });

  it('details of 500 × "<>" (4,000 characters once escaped) → 201, the facts cut with "…" to fit Slack', async () => {
    const { message } = await postAlert('2005', 'Markup in the details', { details: '<>'.repeat(500) });
    const facts =
      (message.blocks?.[1] as unknown as { text?: { text?: string } } | undefined)?.text?.text ?? '';
    expect(facts).toContain('&lt;&gt;');
    expect(facts).toMatch(/…$/);
    expect(facts.length).toBeLessThanOrEqual(3000);
  });

  it('an alert Slack refuses anyway (invalid_blocks) → 422 not_postable, not 503 "try again"', async () => {
    env.stack.slack.failNext('chat.postMessage', 'invalid_blocks');
    const res = await env.slack.postAlert({ channel: LOCAL_CHANNEL, agentId: '2005', reason: 'Refused' });
    expect(res.status).toBe(422);
    expect(res.json).toMatchObject({ ok: false, error: 'not_postable' });
  });
});

describe('clicking the buttons of an alert', () => {
  let alertA: { alertId: string; message: StoredMessage };
  let alertB: { alertId: string; message: StoredMessage };

  it('Listen (clicked twice, same action_ts) → one gateway call, result in the thread, alert says who listens', async () => {
    await env.signIn('U_DEMO', '1001');
    alertA = await postAlert('2005', 'Angry customer, 40 s of raised voices');
    alertB = await postAlert('2006', 'Long hold');
    const before = gw('addSupervise', '1001');
    const actionTs = nowTs();
    const first = await env.slack.clickButton('U_DEMO', alertA.message, 'listen:', { actionTs });
    const again = await env.slack.clickButton('U_DEMO', alertA.message, 'listen:', { actionTs });
    expect([first.status, again.status]).toEqual([200, 200]);

    const result = await env.slack.waitForThread(alertA.message, /Listening to agent 2005/);
    expect(text(result)).toMatch(/<@U_DEMO> \(inspector 1001\).*Retcode 0/);
    await env.slack.waitForThread(alertA.message, /Phone answered: you are listening to 2005/);
    const edited = await waitForAlertEdit(alertA.message, (m) =>
      /<@U_DEMO> listening to 2005 since <!date\^\d+\^\{time\}\|\d\d:\d\d UTC>/.test(blocksText(m)),
    );
    expect(blocksText(edited)).toMatch(/Last: <@U_DEMO> listen → done/);
    await env.stack.queue.drained();
    expect(gw('addSupervise', '1001') - before).toBe(1);
    expect(env.stack.slack.store.callsOf('chat.update').some((c) => c.args.ts === alertA.message.ts)).toBe(
      true,
    );
    const stored = await env.stack.store.alerts.getAlert(alertA.alertId);
    expect(stored?.participants.U_DEMO).toMatchObject({ inspectorId: '1001', mode: 'listen' });
    expect(stored?.last).toMatchObject({ userId: 'U_DEMO', op: 'listen', ok: true });
  });

  it('a forged button value (another alert, another agent, another channel) → refused, no gateway call', async () => {
    await env.signIn('U_DEMO2', '1003');
    await env.stack.queue.drained();
    const before =
      gatewayRequests(env.stack, 'addSupervise').length + gatewayRequests(env.stack, 'intercept').length;
    // The alert ID of alert B (agent 2006) with agent 2005, and alert A's ID with agent 2006.
    for (const value of [`listen:2005:${alertB.alertId}`, `intercept:2006:${alertA.alertId}`]) {
      const since = env.mark();
      await env.slack.click('U_DEMO2', value, { actionId: 'qc_alert:0' });
      const refusal = await waitForNew(
        env.stack,
        since,
        (m) => m.ephemeralTo === 'U_DEMO2' && /no longer known/.test(text(m)),
      );
      expect(text(refusal)).toMatch(/nothing was sent to the gateway/);
    }
    // A real alert's button clicked from another channel.
    const since = env.mark();
    await env.slack.click('U_DEMO2', `listen:2005:${alertA.alertId}`, {
      actionId: 'qc_alert:0',
      channel: 'C_NOBOT',
    });
    await waitForNew(env.stack, since, (m) => m.ephemeralTo === 'U_DEMO2' && /no longer known/.test(text(m)));
    // Not even shaped like an alert button: refused at once, nothing queued.
    const sent = env.stack.queue.sent;
    const bad = env.mark();
    await env.slack.click('U_DEMO2', 'listen:2005:short', { actionId: 'qc_alert:0' });
    await waitForNew(env.stack, bad, (m) => m.ephemeralTo === 'U_DEMO2' && /not valid/.test(text(m)));
    expect(env.stack.queue.sent).toBe(sent);
    await env.stack.queue.drained();
    expect(
      gatewayRequests(env.stack, 'addSupervise').length + gatewayRequests(env.stack, 'intercept').length,
    ).toBe(before);
    // Neither alert changed.
    expect((await env.stack.store.alerts.getAlert(alertB.alertId))?.participants).toEqual({});
    expect(Object.keys((await env.stack.store.alerts.getAlert(alertA.alertId))?.participants ?? {})).toEqual([
      'U_DEMO',
    ]);
  });

  it('Take over after listening → intercept at once, "Intercepted by <@U_DEMO>", only Stop left', async () => {
    // The buttons as the second inspector saw them before the intercept.
    const stale = alertA.message.blocks;
    const before = gw('intercept', '1001');
    const listens = gw('addSupervise', '1001');
    await env.slack.clickButton('U_DEMO', alertA.message, '2005:');
    const result = await env.slack.waitForThread(alertA.message, /Intercepted the call of agent 2005/);
    expect(text(result)).toMatch(/Retcode 0/);
    const edited = await waitForAlertEdit(alertA.message, (m) =>
      /Intercepted by <@U_DEMO>/.test(blocksText(m)),
    );
    expect(blocksText(edited)).toMatch(
      /:telephone_receiver: Intercepted by <@U_DEMO> at <!date\^\d+\^\{time\}\|\d\d:\d\d UTC>/,
    );
    expect(edited.text).toMatch(/\(intercepted by <@U_DEMO>\)/);
    expect(buttonLabels(edited)).toEqual(['Stop']);
    expect(gw('intercept', '1001') - before).toBe(1);
    expect(gw('addSupervise', '1001') - listens).toBe(0);
    const stored = await env.stack.store.alerts.getAlert(alertA.alertId);
    expect(stored?.interceptedBy).toMatchObject({ userId: 'U_DEMO', inspectorId: '1001' });

    // A second inspector clicks Take over on the message as it was: refused before the gateway.
    const since = env.mark();
    const listensBefore = gw('addSupervise', '1003');
    const again = buttonsOf(stale).find((b) => b.value.startsWith('2005:'));
    if (!again) throw new Error('no Take over button');
    await env.slack.click('U_DEMO2', again.value, { actionId: again.action_id });
    const refusal = await waitForNew(
      env.stack,
      since,
      (m) => m.ephemeralTo === 'U_DEMO2' && /already intercepted/.test(text(m)),
    );
    expect(text(refusal)).toMatch(
      /already intercepted by <@U_DEMO> at <!date\^\d+\^\{time\}\|\d\d:\d\d UTC>/,
    );
    await env.stack.queue.drained();
    expect(gw('intercept', '1003')).toBe(0);
    expect(gw('addSupervise', '1003') - listensBefore).toBe(0);
    expect((await env.stack.store.alerts.getAlert(alertA.alertId))?.interceptedBy?.userId).toBe('U_DEMO');
  });

  it('an agent in another VDN → the gateway retcode explained in words in the thread', async () => {
    // The simulator's 3001 is in VDN 2; inspector 1003 is in VDN 1.
    const alert = await postAlert('3001', 'Escalation in the other site');
    const before = gw('addSupervise', '1003');
    await env.slack.clickButton('U_DEMO2', alert.message, 'listen:');
    const result = await env.slack.waitForThread(alert.message, /could not listen to agent 3001/);
    expect(text(result)).toMatch(/Retcode 900-004: .*another VDN/);
    expect(blocksText(result)).toMatch(/\*What to do:\* Check the agent ID/);
    await waitForAlertEdit(alert.message, (m) =>
      /Last: <@U_DEMO2> listen → retcode 900-004/.test(blocksText(m)),
    );
    expect(gw('addSupervise', '1003') - before).toBe(1);
    expect(gatewayRequests(env.stack, 'addSupervise', '/1003/').at(-1)?.retcode).toBe('900-004');
    expect((await env.stack.store.alerts.getAlert(alert.alertId))?.participants).toEqual({});
  });

  it('the alert message was deleted: the click still gets its result, nothing crashes, no more edits', async () => {
    const web = new WebClient(LOCAL_BOT_TOKEN, { slackApiUrl: `${env.stack.url}/api/` });
    await web.chat.delete({ channel: LOCAL_CHANNEL, ts: alertB.message.ts });
    expect(alertB.message.deleted).toBe(true);
    const since = env.mark();
    const before = gw('addSupervise', '1003');
    await env.slack.clickButton('U_DEMO2', alertB.message, 'listen:');
    const result = await waitForNew(env.stack, since, (m) => /Listening to agent 2006/.test(text(m)));
    expect(text(result)).toMatch(/<@U_DEMO2> \(inspector 1003\)/);
    await env.stack.queue.drained();
    expect(gw('addSupervise', '1003') - before).toBe(1);
    const failedUpdate = env.stack.slack.store
      .callsOf('chat.update')
      .find((c) => c.args.ts === alertB.message.ts && c.error === 'message_not_found');
    expect(failedUpdate).toBeDefined();
    const stored = await env.stack.store.alerts.getAlert(alertB.alertId);
    expect(stored?.messageGone).toBe(true);
    expect(stored?.participants.U_DEMO2).toMatchObject({ mode: 'listen' });
    expect(env.stack.slack.store.messages.slice(since).some((m) => /internal error/.test(text(m)))).toBe(
      false,
    );
    expect(env.logs.text()).not.toMatch(/"job failed"|alert message could not be updated/);

    // The next click (Stop) works and does not try to edit the deleted message again.
    const updates = env.stack.slack.store
      .callsOf('chat.update')
      .filter((c) => c.args.ts === alertB.message.ts).length;
    const stopSince = env.mark();
    await env.slack.clickButton('U_DEMO2', alertB.message, 'stop:');
    await waitForNew(env.stack, stopSince, (m) => /Stopped monitoring agent 2006/.test(text(m)));
    await env.stack.queue.drained();
    expect(
      env.stack.slack.store.callsOf('chat.update').filter((c) => c.args.ts === alertB.message.ts),
    ).toHaveLength(updates);
  });

  it('no Guid, password or alerts secret in the logs, the Slack messages or the Slack calls', async () => {
    await env.guids.note('1001', '1003');
    expectNoSecrets(env.stack, env.logs, env.guids.guids);
    const seen = [
      env.logs.text(),
      JSON.stringify(env.stack.slack.store.messages),
      JSON.stringify(env.stack.slack.store.calls),
    ];
    for (const where of seen) expect(where).not.toContain(LOCAL_ALERTS_SECRET);
  });
});
