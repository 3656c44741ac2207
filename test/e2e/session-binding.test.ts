import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { dmChannelId } from '../../local/slack-api/methods';
import type { StoredMessage } from '../../local/slack-api/store';
import { LOCAL_TEAM } from '../../local/stack';
import {
  gatewayRequests,
  keeperIdle,
  qcJob,
  text,
  threadLines,
  until,
  useLocalStack,
  waitForNew,
} from './support';

/**
 * A gateway session belongs to the Slack user who signed in. Unlinking that user, or moving them to
 * another inspector, ends it (signed out at the gateway, the user told by DM); nobody else's request
 * may use it, even when the record's team matches.
 */
const env = useLocalStack();

/** An answer only `user` sees, to a command `user` sends. */
async function toSender(command: string, match: RegExp, user: string): Promise<StoredMessage> {
  const since = env.mark();
  const ack = await env.slack.command(command, user);
  expect(ack.status).toBe(200);
  return waitForNew(env.stack, since, (m) => m.ephemeralTo === user && match.test(text(m)));
}

/** Every message in `user`'s DM with the app. */
const dmOf = (user: string) => env.stack.slack.store.channelMessages(dmChannelId(user));

/** The gateway requests of `logName` that named inspector `inspectorId`. */
const calls = (logName: string, inspectorId: string) =>
  gatewayRequests(env.stack, logName).filter((r) => r.agentId === inspectorId).length;

/** Sign-outs of `inspectorId` the gateway accepted (plain, or forced while monitoring). */
const signOuts = (inspectorId: string) =>
  [...gatewayRequests(env.stack, 'logout'), ...gatewayRequests(env.stack, 'forceLogout')].filter(
    (r) => r.agentId === inspectorId && r.retcode === '0',
  ).length;

/** `user` asks to listen to 2005: told to sign in, and the gateway hears nothing from `inspectorId`. */
async function expectToldToSignIn(user: string, inspectorId: string) {
  const before = calls('addSupervise', inspectorId);
  const told = new RegExp(`Inspector ${inspectorId} is not signed in to the gateway`);
  // The ack says it at once…
  const ack = await env.slack.command('/qc listen 2005', user);
  expect(String(ack.json?.text)).toMatch(told);
  // …and the worker (the queue is not trusted) says the same to a job that got through.
  const since = env.mark();
  await env.stack.queue.send(qcJob(env.stack, { op: 'listen', agentId: '2005', inspectorId, user }), {
    groupId: `inspector-${inspectorId}`,
    deduplicationId: `told-${user}-${Date.now()}`,
  });
  await waitForNew(env.stack, since, (m) => m.ephemeralTo === user && told.test(text(m)));
  await env.stack.queue.drained();
  expect(calls('addSupervise', inspectorId)).toBe(before);
}

describe('a gateway session is bound to the Slack user who signed in', () => {
  it('(a) unlink A, link B to the same inspector: A is signed out and told; B must sign in', async () => {
    await env.signIn('U_DEMO', '1001');
    // A listens to 2005: the events of that session go to the result's thread.
    const since = env.mark();
    await env.slack.command('/qc listen 2005', 'U_DEMO');
    const result = await waitForNew(env.stack, since, (m) => /Listening to agent 2005/.test(text(m)));
    await env.slack.waitForThread(result, /Phone answered/);
    const logoutsBefore = signOuts('1001');
    const unlinked = await toSender('/qc unlink <@U_DEMO|demo>', /Unlinked/, 'U_ADMIN');
    expect(text(unlinked)).toMatch(/Unlinked <@U_DEMO> from inspector 1001/);
    expect(text(unlinked)).toMatch(/signed out at the gateway/);
    await until('the sign-out of 1001 at the gateway', () => signOuts('1001') > logoutsBefore);
    expect((await env.stack.store.getSession('1001'))?.status).toBe('ended');
    const dm = await env.stack.slack.store.waitFor(() =>
      dmOf('U_DEMO').find((m) => /An admin \(<@U_ADMIN>\) unlinked you/.test(text(m))),
    );
    expect(text(dm)).toMatch(
      /your gateway session as inspector 1001 was ended \(signed out at the gateway\)/,
    );

    await toSender('/qc link <@U_STRANGER|stranger> 1001 70001', /Linked <@U_STRANGER>/, 'U_ADMIN');
    await expectToldToSignIn('U_STRANGER', '1001');
    const threadAfterUnlink = threadLines(env.stack, result);

    // A's monitoring was released, and nothing of A's session reaches A's thread any more, not
    // even once B has signed in to the same inspector and the keeper polls B's session.
    const monitoring = await env.stack.store.getMonitoring('1001');
    expect(monitoring?.agentId).toBeUndefined();
    expect(monitoring?.ops ?? []).toEqual([]);
    await toSender('/qc who 2005', /Nobody is monitoring agent 2005/, 'U_ADMIN');
    await env.signIn('U_STRANGER', '1001');
    await keeperIdle(env.stack, '1001', 100);
    expect(threadLines(env.stack, result)).toEqual(threadAfterUnlink);
    const rows = await env.stack.store.listDay(LOCAL_TEAM, new Date().toISOString().slice(0, 10));
    expect(rows).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ userId: 'U_ADMIN', operation: 'unlink', inspectorId: '1001' }),
        expect.objectContaining({ operation: 'session-ended', inspectorId: '1001', detail: 'U_DEMO' }),
      ]),
    );
  });

  it("(b) relink without unlink: A moved to another inspector, B linked to A's: same", async () => {
    await env.signIn('U_DEMO2', '1003');
    // The inspector is A's: linking B to it straight away is refused, and A keeps the session.
    const refused = await toSender('/qc link <@U_DEMO|demo> 1003 70003', /already linked/, 'U_ADMIN');
    expect(text(refused)).toMatch(/Inspector 1003 is already linked to another Slack user/);
    expect((await env.stack.store.getSession('1003'))?.status).toBe('active');

    const logoutsBefore = signOuts('1003');
    const moved = await toSender('/qc link <@U_DEMO2|demo2> 1002 70002', /Linked <@U_DEMO2>/, 'U_ADMIN');
    expect(text(moved)).toMatch(/signed out at the gateway/);
    await until('the sign-out of 1003 at the gateway', () => signOuts('1003') > logoutsBefore);
    expect((await env.stack.store.getSession('1003'))?.status).toBe('ended');
    await env.stack.slack.store.waitFor(() =>
      dmOf('U_DEMO2').find((m) => /An admin \(<@U_ADMIN>\) relinked you from inspector 1003/.test(text(m))),
    );

    await toSender('/qc link <@U_DEMO|demo> 1003 70003', /Linked <@U_DEMO>/, 'U_ADMIN');
    await expectToldToSignIn('U_DEMO', '1003');
  });

  it("(c) B cannot use A's live session, even though the record's team matches", async () => {
    // A's live session on 1001 (signed in at the gateway, kept alive by the keeper) while the link
    // of inspector 1001 names B: as a record written before sessions were bound to users would be.
    const signedIn = await env.stack.deps.gateway.forceSignIn('1001', {
      password: 'simulator',
      phone: '70001',
    });
    if (!signedIn.ok) throw new Error(`sign-in of 1001 failed: ${signedIn.retcode}`);
    const now = Date.now();
    await env.stack.store.startSession({
      inspectorId: '1001',
      sessionId: randomUUID(),
      teamId: LOCAL_TEAM,
      userId: 'U_DEMO',
      guid: signedIn.data.guid.reveal(),
      mode: 'poll',
      signedInAt: now,
      guidUpdatedAt: now,
    });
    // B's link to 1001, written straight to the store (no link job ends anything here).
    if ((await env.stack.store.getLink(LOCAL_TEAM, 'U_DEMO'))?.inspectorId === '1001')
      await env.stack.store.deleteLink(LOCAL_TEAM, 'U_DEMO');
    await env.stack.store.putLink({
      teamId: LOCAL_TEAM,
      userId: 'U_STRANGER',
      inspectorId: '1001',
      phone: '70001',
      linkedBy: 'U_ADMIN',
      linkedAt: now,
    });

    await expectToldToSignIn('U_STRANGER', '1001');
    const logouts = calls('logout', '1001') + calls('forceLogout', '1001');
    const signout = await toSender('/qc signout', /not signed in/, 'U_STRANGER');
    expect(text(signout)).toMatch(/You are not signed in to the gateway/);
    const status = await toSender('/qc status', /Inspector/, 'U_STRANGER');
    expect(text(status)).toMatch(/Gateway session: not signed in/);
    const home = env.stack.slack.store.homeViews.get('U_STRANGER')?.updates ?? -1;
    await env.slack.openHome('U_STRANGER');
    const view = await env.stack.slack.store.waitFor((st) => {
      const v = st.homeViews.get('U_STRANGER');
      return v && v.updates > home ? v : undefined;
    });
    expect(JSON.stringify(view.view.blocks)).toMatch(/Gateway session\* :white_circle: not signed in/);
    await env.stack.queue.drained();
    expect(calls('logout', '1001') + calls('forceLogout', '1001')).toBe(logouts);
    expect((await env.stack.store.getSession('1001'))?.status).toBe('active');

    // An admin's link of 1001 (here: B again) ends the live session of the other user on it.
    const relinked = await toSender('/qc link <@U_STRANGER|stranger> 1001 70001', /Linked/, 'U_ADMIN');
    expect(text(relinked)).toMatch(/The session of <@U_DEMO> as inspector 1001 was ended \(signed out/);
    expect((await env.stack.store.getSession('1001'))?.status).toBe('ended');
    await env.stack.slack.store.waitFor(() =>
      dmOf('U_DEMO').find((m) => /linked inspector 1001 to another Slack user/.test(text(m))),
    );
  });
  it('a sign-out the gateway fails still ends our record; the admin and the user are told so', async () => {
    await env.signIn('U_DEMO', '1003');
    env.sim.injectFault({ interface: 'logout', kind: 'status', status: 503, count: 5 });
    const unlinked = await toSender('/qc unlink <@U_DEMO|demo>', /Unlinked/, 'U_ADMIN');
    expect(text(unlinked)).toMatch(
      /Their gateway session was ended here; the gateway did not confirm the sign-out/,
    );
    expect((await env.stack.store.getSession('1003'))?.status).toBe('ended');
    const dm = await env.stack.slack.store.waitFor(() =>
      dmOf('U_DEMO').find((m) => /unlinked you from inspector 1003/.test(text(m))),
    );
    expect(text(dm)).toMatch(/did not confirm the sign-out/);
    const rows = await env.stack.store.listDay(LOCAL_TEAM, new Date().toISOString().slice(0, 10));
    expect(rows).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          operation: 'session-ended',
          inspectorId: '1003',
          outcome: 'sign-out-failed',
        }),
      ]),
    );
  });
});
