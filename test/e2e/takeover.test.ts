import { Agent, fetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredMessage } from '../../local/slack-api/store';
import { LOCAL_CHANNEL } from '../../local/stack';
import { buttonsOf, findButton } from './driver';
import { gatewayRequests, text, threadLines, until, useLocalStack, waitForNew } from './support';

/**
 * One-click take-over end to end (signed Slack requests, the local Slack API, the simulator, the
 * keeper): Take over listens, waits for the inspector's phone (the simulator's /sim/phone delays or
 * never answers it), intercepts, and posts one result in the channel with Talking and Record in its
 * thread; a phone not answered in time stops listening; someone else first is named; no intercept
 * permission is refused before the gateway; /intercept offers it; an alert's Take over holds the
 * single-taker rule.
 */
const WAIT_MS = 5_000;
// The stack reads its worker limits from the environment (src/config.ts), as on Lambda.
const previousWait = process.env.TAKEOVER_ANSWER_MS;
process.env.TAKEOVER_ANSWER_MS = String(WAIT_MS);
const env = useLocalStack();

/** Gateway requests of one interface made by one inspector (the inspector is the URI's first ID). */
const gw = (logName: string, inspectorId: string) =>
  gatewayRequests(env.stack, logName, `/${inspectorId}/`).length;

/** The simulator's control API over HTTPS (`/sim/phone`, `/sim/calls`), as the console uses it. */
async function sim(method: string, path: string, body?: object): Promise<unknown> {
  const running = env.stack.sim;
  if (!running) throw new Error('no simulator');
  const dispatcher = new Agent({ connect: running.caPem ? { ca: running.caPem } : {} });
  try {
    const res = await fetch(`${running.url}${path}`, {
      method,
      dispatcher,
      ...(body ? { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } } : {}),
    });
    const json = await res.json();
    if (res.status !== 200) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  } finally {
    await dispatcher.close();
  }
}

/** Click a Take over button (the floor's action id) for `agentId`, as `user`. */
const takeOver = (user: string, value: string, actionTs?: string) =>
  env.slack.click(user, value, { actionId: 'qc_floor_takeover:2', ...(actionTs ? { actionTs } : {}) });

const waitForTop = (since: number, match: RegExp, timeoutMs = 10_000) =>
  waitForNew(
    env.stack,
    since,
    (m) => !m.threadTs && m.ephemeralTo === undefined && match.test(text(m)),
    timeoutMs,
  );

const waitForLine = (parent: StoredMessage, match: RegExp, timeoutMs = 15_000) =>
  env.stack.slack.store.waitFor(() => threadLines(env.stack, parent).find((l) => match.test(l)), timeoutMs);

beforeAll(async () => {
  await env.signIn('U_DEMO', '1001');
  await env.signIn('U_DEMO2', '1003');
});

afterAll(() => {
  if (previousWait === undefined) delete process.env.TAKEOVER_ANSWER_MS;
  else process.env.TAKEOVER_ANSWER_MS = previousWait;
});

describe('one-click take-over', () => {
  it('/intercept when not monitoring offers Take over; answered → one result, Talking + Record in its thread', async () => {
    const since = env.mark();
    await env.slack.command('/intercept 2005', 'U_DEMO');
    const refusal = await env.slack.waitForEphemeral('U_DEMO', /Take over 2005's call in one click/);
    const labels = buttonsOf(refusal.blocks).map((b) => b.text?.text);
    expect(labels).toEqual(['Listen to 2005', 'Insert into 2005', 'Whisper to 2005', 'Take over']);
    const button = findButton(refusal.blocks, '2005');
    expect(button.style).toBe('danger');
    expect(JSON.stringify(button.confirm)).toContain(
      "Take over 2005's call? qc-slack listens, rings your phone (70001), and takes the call when you answer.",
    );
    expect(gw('intercept', '1001')).toBe(0);

    // Twice the same click (a redelivery): one take-over.
    await env.slack.clickButton('U_DEMO', refusal, '2005', { actionTs: '1700000000.000100' });
    await env.slack.clickButton('U_DEMO', refusal, '2005', { actionTs: '1700000000.000100' });
    const started = await waitForTop(since, /Taking over 2005: answer your phone \(70001\)/);
    await waitForLine(started, /Intercepted the call of agent 2005/);
    await waitForLine(started, /Talking: caller/);
    await waitForLine(started, /Recording /);
    await env.stack.queue.drained();
    expect(gw('addSupervise', '1001')).toBe(1);
    expect(gw('intercept', '1001')).toBe(1);
    const top = env.stack.slack.store
      .channelMessages(LOCAL_CHANNEL)
      .filter((m) => m.ts > (started.ts ?? '') || m === started)
      .filter((m) => !m.threadTs && /2005/.test(text(m)));
    expect(top).toHaveLength(1);
    await until('nothing pending', async () => !(await env.stack.store.getMonitoring('1001'))?.takeover);
    await sim('DELETE', '/sim/calls/2005');
    // The customer hung up: the inspector's events free them for the next take-over.
    await until('1001 idle again', async () => !(await env.stack.store.getMonitoring('1001'))?.agentId);
  });

  it('not answered within TAKEOVER_ANSWER_MS → stop listening, the message says so', async () => {
    await sim('POST', '/sim/phone', { agentId: '1001', answerAfterMs: null });
    await sim('POST', '/sim/calls', { agentId: '2007' });
    const since = env.mark();
    const cancels = gw('stopSuperviseOrInsert', '1001');
    const intercepts = gw('intercept', '1001');
    await takeOver('U_DEMO', '2007');
    const started = await waitForTop(since, /Taking over 2007: answer your phone/);
    const said = await waitForLine(started, /did not answer/);
    expect(said).toContain(
      "Your phone did not answer within 5 s: stopped listening to 2007; the customer's call is unchanged.",
    );
    expect(gw('stopSuperviseOrInsert', '1001') - cancels).toBe(1);
    expect(gw('intercept', '1001') - intercepts).toBe(0);
    const state = (await sim('GET', '/sim/state')) as { calls: Array<{ agentId?: string; agent?: string }> };
    expect(JSON.stringify(state.calls)).toContain('2007');
    await until('nothing pending', async () => !(await env.stack.store.getMonitoring('1001'))?.takeover);
    await sim('DELETE', '/sim/phone');
  });

  it('someone else first while the phone rings → who took it, no intercept from us', async () => {
    await sim('POST', '/sim/calls', { agentId: '2008' });
    await env.slack.command('/qc listen 2008', 'U_DEMO2');
    await env.slack.waitForChannelMessage(/<@U_DEMO2>.*Listening to agent 2008/);
    await sim('POST', '/sim/phone', { agentId: '1001', answerAfterMs: null });
    const since = env.mark();
    const intercepts = gw('intercept', '1001');
    await takeOver('U_DEMO', '2008');
    const started = await waitForTop(since, /Taking over 2008: answer your phone/);
    await env.slack.command('/intercept 2008', 'U_DEMO2');
    await env.slack.waitForChannelMessage(/<@U_DEMO2>.*Intercepted the call of agent 2008/);
    const said = await waitForLine(started, /took over 2008 first/);
    expect(said).toContain('<@U_DEMO2> took over 2008 first');
    await env.stack.queue.drained();
    expect(gw('intercept', '1001') - intercepts).toBe(0);
    await until('nothing pending', async () => !(await env.stack.store.getMonitoring('1001'))?.takeover);
    await sim('DELETE', '/sim/phone');
    await sim('DELETE', '/sim/calls/2008');
  });

  it('without the intercept permission → refused, no gateway call', async () => {
    await env.slack.command('/qc deny <@U_DEMO2|demo2> intercept', 'U_ADMIN');
    await until('intercept denied', async () => {
      const link = await env.stack.store.getLink('T_LOCAL', 'U_DEMO2');
      return link?.permissions !== undefined && !link.permissions.includes('intercept');
    });
    const listens = gw('addSupervise', '1003');
    await takeOver('U_DEMO2', '2006');
    const refusal = await env.slack.waitForEphemeral(
      'U_DEMO2',
      /not allowed to intercept the call of agent 2006/,
    );
    expect(text(refusal)).toMatch(/needs the "intercept" permission/);
    await env.stack.queue.drained();
    expect(gw('addSupervise', '1003') - listens).toBe(0);
    await env.slack.command('/qc allow <@U_DEMO2|demo2> intercept', 'U_ADMIN');
    await until('intercept allowed', async () =>
      (await env.stack.store.getLink('T_LOCAL', 'U_DEMO2'))?.permissions?.includes('intercept'),
    );
  });

  it("an alert's Take over: listen, phone, intercept in the alert's thread; a second inspector is refused", async () => {
    await sim('POST', '/sim/calls', { agentId: '2009' });
    const res = await env.slack.postAlert({
      channel: LOCAL_CHANNEL,
      agentId: '2009',
      reason: 'Angry customer',
    });
    expect(res.status).toBe(201);
    const alert = env.stack.slack.store.message(LOCAL_CHANNEL, String(res.json?.ts));
    if (!alert) throw new Error('no alert message');
    const stale = alert.blocks;
    await env.slack.clickButton('U_DEMO', alert, '2009:');
    await waitForLine(alert, /Taking over 2009: answer your phone/);
    await waitForLine(alert, /Intercepted the call of agent 2009/);
    await env.stack.slack.store.waitFor(() =>
      /Intercepted by <@U_DEMO>/.test(JSON.stringify(alert.blocks)) ? alert : undefined,
    );
    expect(gw('intercept', '1001')).toBeGreaterThan(0);

    const listens = gw('addSupervise', '1003');
    const again = findButton(stale, '2009:');
    await env.slack.click('U_DEMO2', again.value, { actionId: again.action_id });
    await env.slack.waitForEphemeral('U_DEMO2', /already intercepted by <@U_DEMO>/);
    await env.stack.queue.drained();
    expect(gw('addSupervise', '1003') - listens).toBe(0);
    expect(gw('intercept', '1003')).toBe(1); // the earlier /intercept 2008 only
    await sim('DELETE', '/sim/calls/2009');
  });
});
