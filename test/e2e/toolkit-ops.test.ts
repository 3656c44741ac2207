import { beforeAll, describe, expect, it } from 'vitest';
import type { StoredMessage } from '../../local/slack-api/store';
import { buttonsOf } from './driver';
import { expectNoSecrets, gatewayRequests, text, useLocalStack, waitForNew } from './support';

/**
 * The supervisor's operations beyond listen/intercept: switching modes, stopping a whisper, and the
 * confirmed operations (force-busy/idle, release-call) with their permissions. Each case checks the
 * answer people see, the gateway calls made or not, and the records written.
 */
const env = useLocalStack();
beforeAll(async () => {
  await env.signIn('U_DEMO', '1001');
  await env.signIn('U_DEMO2', '1003');
});

const gw = (logName: string, inspectorId: string) => gatewayRequests(env.stack, logName, `/${inspectorId}/`);

/** A command whose result is posted in the channel: waits for it. */
async function inChannel(command: string, match: RegExp, user = 'U_DEMO'): Promise<StoredMessage> {
  const since = env.mark();
  const ack = await env.slack.command(command, user);
  expect(ack.status).toBe(200);
  return waitForNew(
    env.stack,
    since,
    (m) => m.ephemeralTo === undefined && m.threadTs === undefined && match.test(text(m)),
  );
}

/** A command answered only to its sender: waits for the ephemeral answer. */
async function toSender(command: string, match: RegExp, user = 'U_DEMO'): Promise<StoredMessage> {
  const since = env.mark();
  await env.slack.command(command, user);
  return waitForNew(env.stack, since, (m) => m.ephemeralTo === user && match.test(text(m)));
}

/** The confirmation a command acks with, shown to the user as Slack would. */
async function confirmation(command: string, user = 'U_DEMO'): Promise<StoredMessage> {
  const ack = await env.slack.command(command, user);
  expect(ack.status).toBe(200);
  expect(ack.json?.response_type).toBe('ephemeral');
  return env.slack.showAck(user, ack.json);
}

describe('switching modes and stopping a whisper', () => {
  it('/qc switch whisper while listening → the switch-type interface, "Switched to whispering to"', async () => {
    const listening = await inChannel('/qc listen 2005', /Listening to agent 2005/);
    await env.slack.waitForThread(listening, /Phone answered: you are listening to 2005/);
    const before = gw('requestSwitchInsertWhisperAgent', '1001').length;
    const result = await inChannel('/qc switch whisper 2005', /Switched to whispering to agent 2005/);
    expect(text(result)).toMatch(/<@U_DEMO> \(inspector 1001\).*Retcode 0/);
    const calls = gw('requestSwitchInsertWhisperAgent', '1001');
    expect(calls.length - before).toBe(1);
    expect(calls.at(-1)?.path).toMatch(/whisperagentid=2005/);
    expect(calls.at(-1)?.path).toMatch(/switchtype=2/);
    await env.stack.queue.drained();
    expect(env.sim.agent('1001')?.monitoring).toEqual({ target: '2005', mode: 'whisper' });
    expect(await env.stack.store.getMonitoring('1001')).toMatchObject({ agentId: '2005', mode: 'whisper' });
  });

  it('/qc stop-whisper → the stop-whisper interface; monitoring cleared', async () => {
    const before = gw('requestStopWhisperAgent', '1001').length;
    await inChannel('/qc stop-whisper 2005', /Stopped whispering to agent 2005/);
    expect(gw('requestStopWhisperAgent', '1001').length - before).toBe(1);
    await env.stack.queue.drained();
    expect(env.sim.agent('1001')?.monitoring).toBeNull();
    expect((await env.stack.store.getMonitoring('1001'))?.agentId).toBeUndefined();
  });

  it('/qc switch listen while inserting → the listen⇄insert interface', async () => {
    const joined = await inChannel('/qc insert 2005', /Joined the call of agent 2005/);
    await env.slack.waitForThread(joined, /Phone answered: you are in the call with 2005/);
    const switchType = gw('requestSwitchInsertWhisperAgent', '1001').length;
    const before = gw('switchSuperviseOrInsert', '1001').length;
    await inChannel('/qc switch listen 2005', /Switched to listening to agent 2005/);
    expect(gw('switchSuperviseOrInsert', '1001').length - before).toBe(1);
    expect(gw('requestSwitchInsertWhisperAgent', '1001').length).toBe(switchType);
    await env.stack.queue.drained();
    expect(env.sim.agent('1001')?.monitoring).toEqual({ target: '2005', mode: 'listen' });
    expect(await env.stack.store.getMonitoring('1001')).toMatchObject({ agentId: '2005', mode: 'listen' });
  });

  it('/qc switch without monitoring → refusal with Listen/Insert/Whisper buttons, no gateway call', async () => {
    await env.stack.queue.drained();
    const before = env.sim.requestLog.filter(
      (r) => r.agentId === '1003' && /qualitycontrol/.test(r.path),
    ).length;
    const refusal = await toSender('/qc switch insert 2007', /must already be monitoring/, 'U_DEMO2');
    expect(buttonsOf(refusal.blocks).map((b) => b.value)).toEqual([
      'listen:2007',
      'insert:2007',
      'whisper:2007',
    ]);
    await env.stack.queue.drained();
    expect(
      env.sim.requestLog.filter((r) => r.agentId === '1003' && /qualitycontrol/.test(r.path)).length,
    ).toBe(before);
    // The refusal's Listen button works.
    const since = env.mark();
    env.sim.startCall('2007');
    await env.slack.clickButton('U_DEMO2', refusal, 'listen:2007');
    await waitForNew(env.stack, since, (m) => /Listening to agent 2007/.test(text(m)));
    expect(gw('addSupervise', '1003')).toHaveLength(1);
  });

  it('a malformed /qc switch gets usage help and is never queued', async () => {
    const sent = env.stack.queue.sent;
    for (const cmd of [
      '/qc switch',
      '/qc switch sideways 2005',
      '/qc switch listen',
      '/qc switch listen 2005 2006',
    ]) {
      const ack = await env.slack.command(cmd);
      expect(ack.json?.text, cmd).toMatch(/Usage|usage/);
    }
    expect(env.stack.queue.sent).toBe(sent);
  });
});

describe('confirmed operations and their permissions', () => {
  it('/qc force-busy → a confirmation only; Yes without the force permission → "not allowed", no call', async () => {
    const sent = env.stack.queue.sent;
    const confirm = await confirmation('/qc force-busy 2003');
    expect(env.stack.queue.sent).toBe(sent);
    expect(text(confirm)).toMatch(/Confirm: force busy agent 2003\?/);
    const yes = buttonsOf(confirm.blocks).find((b) => b.value === 'force-busy:2003');
    expect(yes).toMatchObject({ style: 'danger' });
    expect(buttonsOf(confirm.blocks).map((b) => b.text?.text)).toEqual(['Yes, force busy 2003', 'Cancel']);

    const since = env.mark();
    await env.slack.clickButton('U_DEMO', confirm, 'force-busy:');
    const refusal = await waitForNew(
      env.stack,
      since,
      (m) => m.ephemeralTo === 'U_DEMO' && /not allowed/.test(text(m)),
    );
    expect(text(refusal)).toMatch(
      /not allowed to force busy agent 2003: it needs the "force" permission\. Ask <@U_ADMIN>/,
    );
    await env.stack.queue.drained();
    expect(gatewayRequests(env.stack, 'forceBusy')).toHaveLength(0);
    const audit = await env.stack.store.listDay('T_LOCAL', new Date().toISOString().slice(0, 10));
    expect(audit.some((a) => a.operation === 'force-busy' && a.outcome === 'refused:not-allowed')).toBe(true);
  });

  it('after /qc allow … force by an admin, Yes → forceBusy and the result in the channel', async () => {
    const granted = await toSender('/qc allow <@U_DEMO|demo> force', /may now/, 'U_ADMIN');
    expect(text(granted)).toMatch(
      /<@U_DEMO> \(inspector 1001\) may now: listen, insert, whisper, intercept, force\./,
    );
    expect((await env.stack.store.getLink('T_LOCAL', 'U_DEMO'))?.permissions).toContain('force');

    const confirm = await confirmation('/qc force-busy 2003');
    const since = env.mark();
    await env.slack.clickButton('U_DEMO', confirm, 'force-busy:');
    const result = await waitForNew(
      env.stack,
      since,
      (m) => m.ephemeralTo === undefined && /Forced busy: agent 2003/.test(text(m)),
    );
    expect(text(result)).toMatch(/<@U_DEMO> \(inspector 1001\).*Retcode 0/);
    // The confirmation was replaced by the progress note.
    expect(confirm.text).toMatch(/Forcing busy: 2003/);
    expect(buttonsOf(confirm.blocks)).toEqual([]);
    const calls = gw('forceBusy', '1001');
    expect(calls).toHaveLength(1);
    expect(calls[0]?.path).toMatch(/forcebusy\/2003$/);
    expect(env.sim.agent('2003')?.state).not.toBe(env.sim.agent('2004')?.state);
  });

  it('Cancel deletes the confirmation; nothing is queued', async () => {
    const confirm = await confirmation('/qc force-idle 2003');
    const sent = env.stack.queue.sent;
    await env.slack.clickButton('U_DEMO', confirm, 'cancel');
    await env.stack.slack.store.waitFor(() => confirm.deleted === true);
    expect(env.stack.queue.sent).toBe(sent);
    expect(gatewayRequests(env.stack, 'forceIdle')).toHaveLength(0);
  });

  it('/qc release-call <callId> needs the release permission; with it → forceDropCall, result in the channel', async () => {
    const { callId } = env.sim.startCall('2010');
    const confirm = await confirmation(`/qc release-call ${callId}`);
    expect(text(confirm)).toMatch(new RegExp(`Confirm: release call ${callId}\\?`));
    const since = env.mark();
    await env.slack.clickButton('U_DEMO', confirm, 'release-call:');
    await waitForNew(
      env.stack,
      since,
      (m) => m.ephemeralTo === 'U_DEMO' && /needs the "release" permission/.test(text(m)),
    );
    await env.stack.queue.drained();
    expect(gatewayRequests(env.stack, 'forceDropCall')).toHaveLength(0);

    await toSender('/qc allow <@U_DEMO|demo> release', /may now: .*release/, 'U_ADMIN');
    const again = await confirmation(`/qc release-call ${callId}`);
    const released = env.mark();
    await env.slack.clickButton('U_DEMO', again, 'release-call:');
    const result = await waitForNew(
      env.stack,
      released,
      (m) => m.ephemeralTo === undefined && new RegExp(`Released call ${callId}`).test(text(m)),
    );
    expect(text(result)).toMatch(/Retcode 0/);
    await env.stack.queue.drained();
    const calls = gw('forceDropCall', '1001');
    expect(calls).toHaveLength(1);
    expect(calls[0]?.path).toContain(callId);
    expect(env.sim.agent('2010')?.callId).toBeNull();
    const audit = await env.stack.store.listDay('T_LOCAL', new Date().toISOString().slice(0, 10));
    expect(
      audit.some((a) => a.operation === 'release-call' && a.agentId === callId && a.outcome === '0'),
    ).toBe(true);
  });

  it('a tampered confirmation value is refused without a gateway call', async () => {
    const sent = env.stack.queue.sent;
    for (const value of ['listen:2005', 'force-busy:abc', 'release-call:no spaces', 'frobnicate:2003']) {
      const since = env.mark();
      await env.slack.click('U_DEMO', value, { actionId: 'qc_confirm:0' });
      await waitForNew(
        env.stack,
        since,
        (m) => m.ephemeralTo === 'U_DEMO' && /not valid any more/.test(text(m)),
      );
    }
    expect(env.stack.queue.sent).toBe(sent);
  });

  it('no Guid or password in the logs, the Slack messages or the Slack calls', async () => {
    await env.stack.queue.drained();
    await env.guids.note('1001', '1003');
    expectNoSecrets(env.stack, env.logs, env.guids.guids);
  });
});
