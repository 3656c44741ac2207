import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../../src/local/stack';
import { captureLogger } from '../helpers/log-capture';
import { SlackDriver } from './driver';

const logs = captureLogger();

let stack: LocalStack;
let slack: SlackDriver;

beforeAll(async () => {
  stack = await startLocalStack({ simulator: { pollHoldMs: 100 }, keeper: { rescanMs: 100 }, logger: logs });
  slack = new SlackDriver(stack);
});
afterAll(async () => {
  await stack?.close();
});

describe('/intercept end to end', () => {
  it('sign in → listen → intercept → result in the channel, Talking and Record in the thread', async () => {
    const signin = await slack.signIn('U_DEMO');
    expect(signin.status).toBe(200);
    expect(JSON.stringify(signin.json)).toMatch(/Signed in as inspector \*1001\*/);

    const listen = await slack.command('/qc listen 2005');
    expect(listen.status).toBe(200);
    expect(listen.json?.text).toMatch(/Listening to 2005/);
    const listened = await slack.waitForChannelMessage(/Listening to agent 2005/);
    await slack.waitForThread(listened, /Phone answered: you are listening to 2005/);

    const ack = await slack.command('/intercept 2005');
    expect(ack.json?.text).toMatch(/Intercepting 2005/);
    const result = await slack.waitForChannelMessage(/Intercepted the call of agent 2005/);
    expect(result.text).toMatch(/Retcode 0/);
    const talking = await slack.waitForThread(result, /Talking: caller/);
    await slack.waitForThread(result, /Recording /);
    expect(talking.text).toMatch(/call \d+-\d+/);
    const gatewayCalls = stack.sim?.sim.requestLog.filter((r) => r.logName === 'intercept') ?? [];
    expect(gatewayCalls).toHaveLength(1);
    const audit = await stack.store.listDay('T_LOCAL', new Date().toISOString().slice(0, 10));
    expect(audit.map((a) => `${a.operation}:${a.outcome}`)).toEqual(
      expect.arrayContaining(['listen:0', 'intercept:0']),
    );
    // Secrets: the Guid and the password appear nowhere a person or a log reader could see them.
    const guid = stack.sim?.sim.currentGuid('1001') ?? 'no-guid';
    const seen = [
      logs.text(),
      JSON.stringify(stack.slack.store.messages),
      JSON.stringify(stack.slack.store.calls),
    ].join('\n');
    expect(seen).not.toContain(guid);
    expect(seen).not.toContain(guid.slice(0, 8));
    expect(seen).not.toContain('"simulator"');
  });

  it('intercept without monitoring: refused with Listen/Insert/Whisper buttons, no gateway call', async () => {
    await slack.signIn('U_DEMO2');
    const before = stack.sim?.sim.requestLog.filter((r) => r.logName === 'intercept').length;
    await slack.command('/intercept 2006', 'U_DEMO2');
    const msg = await slack.waitForEphemeral('U_DEMO2', /only intercept an agent you are monitoring/);
    expect(JSON.stringify(msg.blocks)).toMatch(/listen:2006/);
    expect(stack.sim?.sim.requestLog.filter((r) => r.logName === 'intercept').length).toBe(before);
  });

  it('unknown user gets "ask an admin to link you" in the ack; nothing is queued', async () => {
    const sent = stack.queue.sent;
    const ack = await slack.command('/intercept 2005', 'U_STRANGER');
    expect(ack.json?.text).toMatch(/not linked/);
    expect(stack.queue.sent).toBe(sent);
  });

  it('bad agent IDs get usage help, never the queue', async () => {
    const sent = stack.queue.sent;
    for (const text of [
      '/intercept',
      '/intercept abc',
      '/intercept 99',
      '/qc listen 2005 2006',
      '/qc frobnicate',
    ]) {
      const ack = await slack.command(text);
      expect(ack.status, text).toBe(200);
      expect(ack.json?.text, text).toMatch(/Usage|usage/);
    }
    expect(stack.queue.sent).toBe(sent);
  });

  it('forged and stale signatures → 401, nothing queued', async () => {
    const sent = stack.queue.sent;
    const forged = await slack.post(slack.commandBody('/intercept 2005'), { secret: 'not-the-secret' });
    expect(forged.status).toBe(401);
    const stale = await slack.post(slack.commandBody('/intercept 2005'), {
      timestamp: Math.floor(Date.now() / 1000) - 400,
    });
    expect(stale.status).toBe(401);
    expect(stack.queue.sent).toBe(sent);
  });

  it('the same Slack request delivered twice → one gateway call', async () => {
    await slack.signIn('U_DEMO2');
    await stack.queue.drained();
    const count = () => stack.sim?.sim.requestLog.filter((r) => r.logName === 'addSupervise').length ?? 0;
    const before = count();
    const body = slack.commandBody('/qc listen 2006', 'U_DEMO2');
    await slack.post(body);
    await slack.post(body);
    await stack.queue.drained();
    expect(count() - before).toBe(1);
  });
});
