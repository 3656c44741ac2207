import { describe, expect, it } from 'vitest';
import { useLocalStack } from './support';

const env = useLocalStack();

describe('/intercept end to end', () => {
  it('sign in → listen → intercept → result in the channel, Talking and Record in the thread', async () => {
    const signin = await env.slack.signIn('U_DEMO');
    expect(signin.status).toBe(200);
    expect(JSON.stringify(signin.json)).toMatch(/Signed in as inspector \*1001\*/);

    const listen = await env.slack.command('/qc listen 2005');
    expect(listen.status).toBe(200);
    expect(listen.json?.text).toMatch(/Listening to 2005/);
    const listened = await env.slack.waitForChannelMessage(/Listening to agent 2005/);
    await env.slack.waitForThread(listened, /Phone answered: you are listening to 2005/);

    const ack = await env.slack.command('/intercept 2005');
    expect(ack.json?.text).toMatch(/Intercepting 2005/);
    const result = await env.slack.waitForChannelMessage(/Intercepted the call of agent 2005/);
    expect(result.text).toMatch(/Retcode 0/);
    const talking = await env.slack.waitForThread(result, /Talking: caller/);
    await env.slack.waitForThread(result, /Recording /);
    expect(talking.text).toMatch(/call \d+-\d+/);
    const gatewayCalls = env.stack.sim?.sim.requestLog.filter((r) => r.logName === 'intercept') ?? [];
    expect(gatewayCalls).toHaveLength(1);
    const audit = await env.stack.store.listDay('T_LOCAL', new Date().toISOString().slice(0, 10));
    expect(audit.map((a) => `${a.operation}:${a.outcome}`)).toEqual(
      expect.arrayContaining(['listen:0', 'intercept:0']),
    );
    // Secrets: the Guid and the password appear nowhere a person or a log reader could see them.
    const guid = env.stack.sim?.sim.currentGuid('1001') ?? 'no-guid';
    const seen = [
      env.logs.text(),
      JSON.stringify(env.stack.slack.store.messages),
      JSON.stringify(env.stack.slack.store.calls),
    ].join('\n');
    expect(seen).not.toContain(guid);
    expect(seen).not.toContain(guid.slice(0, 8));
    expect(seen).not.toContain('"simulator"');
  });

  it('intercept without monitoring: refused with Listen/Insert/Whisper buttons, no gateway call', async () => {
    await env.slack.signIn('U_DEMO2');
    const before = env.stack.sim?.sim.requestLog.filter((r) => r.logName === 'intercept').length;
    await env.slack.command('/intercept 2006', 'U_DEMO2');
    const msg = await env.slack.waitForEphemeral('U_DEMO2', /only intercept an agent you are monitoring/);
    expect(JSON.stringify(msg.blocks)).toMatch(/listen:2006/);
    expect(env.stack.sim?.sim.requestLog.filter((r) => r.logName === 'intercept').length).toBe(before);
  });

  it('unknown user gets "ask an admin to link you" in the ack; nothing is queued', async () => {
    const sent = env.stack.queue.sent;
    const ack = await env.slack.command('/intercept 2005', 'U_STRANGER');
    expect(ack.json?.text).toMatch(/not linked/);
    expect(env.stack.queue.sent).toBe(sent);
  });

  it('bad agent IDs get usage help, never the queue', async () => {
    const sent = env.stack.queue.sent;
    for (const text of [
      '/intercept',
      '/intercept abc',
      '/intercept 99',
      '/qc listen 2005 2006',
      '/qc frobnicate',
    ]) {
      const ack = await env.slack.command(text);
      expect(ack.status, text).toBe(200);
      expect(ack.json?.text, text).toMatch(/Usage|usage/);
    }
    expect(env.stack.queue.sent).toBe(sent);
  });

  it('forged and stale signatures → 401, nothing queued', async () => {
    const sent = env.stack.queue.sent;
    const forged = await env.slack.post(env.slack.commandBody('/intercept 2005'), {
      secret: 'not-the-secret',
    });
    expect(forged.status).toBe(401);
    const stale = await env.slack.post(env.slack.commandBody('/intercept 2005'), {
      timestamp: Math.floor(Date.now() / 1000) - 400,
    });
    expect(stale.status).toBe(401);
    expect(env.stack.queue.sent).toBe(sent);
  });

  it('the same Slack request delivered twice → one gateway call', async () => {
    await env.slack.signIn('U_DEMO2');
    await env.stack.queue.drained();
    const count = () => env.stack.sim?.sim.requestLog.filter((r) => r.logName === 'addSupervise').length ?? 0;
    const before = count();
    const body = env.slack.commandBody('/qc listen 2006', 'U_DEMO2');
    await env.slack.post(body);
    await env.slack.post(body);
    await env.stack.queue.drained();
    expect(count() - before).toBe(1);
  });
});
