import { describe, expect, it } from 'vitest';
import type { StoredMessage, StoredView } from '../../local/slack-api/store';
import { LOCAL_ALERTS_SECRET, LOCAL_TEAM } from '../../local/stack';
import { CSV_HEADER } from '../../src/qc/audit-csv';
import { buttonsOf } from './driver';
import { expectNoSecrets, gatewayRequests, text, useLocalStack, waitForNew } from './support';

/**
 * Admin and visibility: permissions (`/qc allow|deny`), who monitors whom (`/qc who`), the audit
 * (`/qc audit`, `/qc audit export` as a CSV in the DM) and the App Home tab with its Sign out button.
 */
const env = useLocalStack();

const today = () => new Date().toISOString().slice(0, 10);

/** A command answered only to its sender: waits for the ephemeral answer. */
async function toSender(command: string, match: RegExp, user = 'U_DEMO'): Promise<StoredMessage> {
  const since = env.mark();
  const ack = await env.slack.command(command, user);
  expect(ack.status).toBe(200);
  return waitForNew(env.stack, since, (m) => m.ephemeralTo === user && match.test(text(m)));
}

/** `/qc listen|insert …` that works, waiting until the phone is answered (the events are in). */
async function monitor(op: 'listen' | 'insert', agentId: string, user: string) {
  const since = env.mark();
  await env.slack.command(`/qc ${op} ${agentId}`, user);
  const result = await waitForNew(
    env.stack,
    since,
    (m) => m.ephemeralTo === undefined && m.threadTs === undefined && /Retcode 0/.test(text(m)),
  );
  await env.slack.waitForThread(result, /Phone answered/);
  await env.stack.queue.drained();
  return result;
}

/** The message's text and the text of its blocks (sections and context elements), one line per line. */
const allText = (m: StoredMessage) => {
  const texts = (m.blocks ?? []).flatMap((b) => {
    const own = (b as { text?: { text?: unknown } }).text?.text;
    const elements = (b as { elements?: Array<{ text?: unknown }> }).elements ?? [];
    return [own, ...elements.map((e) => e.text)].filter((t): t is string => typeof t === 'string');
  });
  return [text(m), ...texts].join('\n');
};
/** An audit row (whatever the layout: table or list) naming the operation, the agent and the outcome. */
const row = (op: string, agent: string, outcome: string) =>
  new RegExp(`^.*\\b${op}\\b[^\\n]*\\b${agent}\\b[^\\n]*(?<![\\w:-])${outcome}(?![\\w:-]).*$`, 'm');

/** Waits for the Home view of `user` to be published (again) after `updates` earlier publications. */
function waitForHome(user: string, after = -1): Promise<StoredView> {
  return env.stack.slack.store.waitFor((s) => {
    const v = s.homeViews.get(user);
    return v && v.updates > after ? v : undefined;
  });
}
const homeText = (v: StoredView) => JSON.stringify(v.view.blocks);

describe('permissions', () => {
  it('/qc allow by a non-admin is refused in the ack; nothing is queued', async () => {
    const sent = env.stack.queue.sent;
    const ack = await env.slack.command('/qc allow <@U_DEMO|demo> force', 'U_DEMO');
    expect(ack.json?.text).toMatch(/Only qc-slack admins can change permissions/);
    expect(env.stack.queue.sent).toBe(sent);
    expect((await env.stack.store.getLink(LOCAL_TEAM, 'U_DEMO'))?.permissions).toBeUndefined();
  });

  it('/qc deny removes a permission: the inspector is then refused before the gateway', async () => {
    const denied = await toSender('/qc deny <@U_DEMO2|demo2> whisper', /may now/, 'U_ADMIN');
    expect(text(denied)).toMatch(/<@U_DEMO2> \(inspector 1003\) may now: listen, insert, intercept\./);
    expect((await env.stack.store.getLink(LOCAL_TEAM, 'U_DEMO2'))?.permissions).toEqual([
      'listen',
      'insert',
      'intercept',
    ]);
    // Signed in (a command before sign-in is told "sign in first" in its ack, before any check).
    await env.signIn('U_DEMO2', '1003');
    const refusal = await toSender('/qc whisper 2006', /not allowed/, 'U_DEMO2');
    expect(text(refusal)).toMatch(/needs the "whisper" permission\. Ask <@U_ADMIN>/);
    await env.stack.queue.drained();
    expect(gatewayRequests(env.stack, 'requestWhisperAgent')).toHaveLength(0);
    // Allowed again: `all` gives every permission.
    const all = await toSender('/qc allow <@U_DEMO2|demo2> all', /may now/, 'U_ADMIN');
    expect(text(all)).toMatch(/may now: listen, insert, whisper, intercept, force, release\./);
    await env.stack.queue.drained();
    const rows = await env.stack.store.listDay(LOCAL_TEAM, today());
    expect(rows.filter((r) => r.userId === 'U_ADMIN').map((r) => r.operation)).toEqual(
      expect.arrayContaining(['deny', 'allow']),
    );
  });

  it('permissions for someone not linked: told to link them first', async () => {
    const reply = await toSender('/qc allow <@U_STRANGER|stranger> listen', /not linked/, 'U_ADMIN');
    expect(text(reply)).toMatch(/<@U_STRANGER> is not linked to an inspector/);
  });
});

describe('who monitors whom', () => {
  it('/qc who and /qc who <agent> list the inspectors, their mode and since when', async () => {
    await env.signIn('U_DEMO', '1001'); // U_DEMO2 signed in for the permission test above
    await monitor('listen', '2005', 'U_DEMO');
    await monitor('insert', '2006', 'U_DEMO2');

    const everyone = await toSender('/qc who', /monitoring any agent/);
    const all = allText(everyone);
    expect(all).toMatch(
      /<@U_DEMO> \(inspector 1001\) — listening to \*2005\* for \d+ s \(since <!date\^\d+\^\{time\}\|\d\d:\d\d UTC>\)/,
    );
    expect(all).toMatch(
      /<@U_DEMO2> \(inspector 1003\) — in the call with \*2006\* for \d+ s \(since <!date\^\d+\^\{time\}\|\d\d:\d\d UTC>\)/,
    );
    expect(all.indexOf('2005')).toBeLessThan(all.indexOf('2006'));

    const one = await toSender('/qc who 2005', /monitoring agent 2005/);
    expect(allText(one)).toMatch(/<@U_DEMO> \(inspector 1001\) — listening to \*2005\*/);
    expect(allText(one)).not.toMatch(/U_DEMO2/);

    const nobody = await toSender('/qc who 2007', /Nobody is monitoring agent 2007/);
    expect(nobody.ephemeralTo).toBe('U_DEMO');
    // /qc who never calls the gateway: it reads qc-slack's state.
    const bad = await env.slack.command('/qc who 2005 2006');
    expect(bad.json?.text).toMatch(/Usage/);
  });
});

describe('the audit', () => {
  it('/qc audit shows a user their own actions; an admin sees everyone', async () => {
    const own = await toSender('/qc audit', /^Audit · today · \d+ actions?$/);
    const ownText = allText(own);
    expect(ownText).toMatch(row('listen', '2005', '0'));
    expect(ownText).not.toMatch(/\binsert\b.*\b2006\b/);

    const admin = await toSender('/qc audit', /^Audit · today/, 'U_ADMIN');
    const adminText = allText(admin);
    expect(adminText).toMatch(row('listen', '2005', '0'));
    expect(adminText).toMatch(row('insert', '2006', '0'));
    expect(adminText).toMatch(row('whisper', '2006', 'refused:not-allowed'));

    const agent = await toSender('/qc audit 2006', /^Audit · today/, 'U_ADMIN');
    expect(allText(agent)).not.toMatch(/\blisten\b.*\b2005\b/);
  });

  it('/qc audit @someone-else by a non-admin → only the note that they see their own', async () => {
    const other = await toSender('/qc audit <@U_DEMO2|demo2>', /No actions today|Audit/);
    expect(allText(other)).toMatch(/You can only see your own actions; admins see everyone\./);
    expect(allText(other)).not.toMatch(/\binsert\b.*\b2006\b/);
    // An admin asking about the same user sees their rows.
    const admin = await toSender('/qc audit <@U_DEMO2|demo2>', /^Audit · today/, 'U_ADMIN');
    expect(allText(admin)).toMatch(row('insert', '2006', '0'));
    expect(allText(admin)).not.toMatch(/\blisten\b.*\b2005\b/);
  });

  it("/qc audit export → a CSV file in the requester's DM: the header and one row per action", async () => {
    const files = env.stack.slack.store.files.length;
    const ack = await env.slack.command('/qc audit export');
    expect(ack.json?.text).toMatch(/audit export/);
    const file = await env.stack.slack.store.waitFor((s) =>
      s.files.slice(files).find((f) => f.dmUser === 'U_DEMO'),
    );
    expect(file.channels).toEqual(['D_DEMO']);
    expect(file.name).toBe(`qc-audit-${LOCAL_TEAM.replace(/[^A-Za-z0-9_-]/g, '')}-${today()}.csv`);
    const lines = file.content.split('\r\n').filter((l) => l !== '');
    expect(lines[0]).toBe(CSV_HEADER.join(','));
    const mine = (await env.stack.store.listDay(LOCAL_TEAM, today())).filter((r) => r.userId === 'U_DEMO');
    expect(mine.length).toBeGreaterThan(0);
    expect(lines).toHaveLength(mine.length + 1);
    for (const line of lines.slice(1)) expect(line.split(',')[2]).toBe('U_DEMO');
    expect(lines.some((l) => /,U_DEMO,1001,2005,listen,0,/.test(l))).toBe(true);
    await waitForNew(
      env.stack,
      0,
      (m) => m.ephemeralTo === 'U_DEMO' && text(m).includes(`Sent you ${file.name}`),
    );
  });
});

describe('App Home', () => {
  it('opened → a published Home: inspector, session (never the Guid), monitoring, recent actions', async () => {
    const ack = await env.slack.openHome('U_DEMO');
    expect(ack.status).toBe(200);
    const home = await waitForHome('U_DEMO');
    const t = homeText(home);
    expect(home.type).toBe('home');
    expect(t).toMatch(/\*Inspector\* 1001 · phone 70001/);
    expect(t).toMatch(/\*Gateway session\* :large_green_circle: signed in \d+ s ago · event polling/);
    expect(t).toMatch(/\*Monitoring\* listening to \*2005\*/);
    expect(t).toMatch(/<!date\^\d+\^\{time\}\|\d\d:\d\d UTC> listen 2005 → done/);
    const guid = env.stack.sim?.sim.currentGuid('1001');
    expect(guid).toBeTruthy();
    expect(t).not.toContain(guid);
    const session = await env.stack.store.getSession('1001');
    expect(t).not.toContain(session?.guid);
    // The gateway refuses a sign-out while monitoring (100-010): Home offers Stop first, not Sign out.
    expect(sessionButtons(home).map((b) => b.value)).toEqual(['stop:2005']);
  });

  it('Home buttons: a stale Sign out while monitoring is refused in words; Stop, then Sign out → session ended', async () => {
    const dm = () => env.stack.slack.store.channelMessages('D_DEMO');
    const logouts = () => gatewayRequests(env.stack, 'logout', '/1001/').length;
    const before = logouts();

    // The gateway refuses to sign out an inspector who is monitoring: the answer comes as a DM.
    let published = env.stack.slack.store.homeViews.get('U_DEMO')?.updates ?? 0;
    const staleSignOut = { action_id: 'qc_signout:0', value: 'signout' };
    expect((await env.slack.clickHomeButton('U_DEMO', 'signout', staleSignOut)).status).toBe(200);
    let home = await waitForHome('U_DEMO', published);
    await env.stack.queue.drained();
    expect(
      dm().some((m) => /did not sign you out: .*Stop monitoring .*\(retcode 100-010\)/.test(text(m))),
    ).toBe(true);
    expect(homeText(home)).toMatch(/signed in .* ago/);
    expect(logouts() - before).toBe(1);

    // Stop monitoring from Home: the result goes to the DM (a Home click has no channel); Home is redrawn.
    published = home.updates;
    const stops = gatewayRequests(env.stack, 'stopSuperviseOrInsert', '/1001/').length;
    await env.slack.clickHomeButton('U_DEMO', 'stop:2005');
    home = await waitForHome('U_DEMO', published);
    await env.stack.queue.drained();
    expect(dm().some((m) => /Stopped monitoring agent 2005/.test(text(m)))).toBe(true);
    expect(gatewayRequests(env.stack, 'stopSuperviseOrInsert', '/1001/').length - stops).toBe(1);
    expect(homeText(home)).toMatch(/\*Monitoring\* nobody/);
    expect(sessionButtons(home).map((b) => b.value)).toEqual(['signout']);

    // Now Sign out works: the session ends and Home shows it.
    published = home.updates;
    await env.slack.clickHomeButton('U_DEMO', 'signout');
    home = await waitForHome('U_DEMO', published);
    await env.stack.queue.drained();
    expect(homeText(home)).toMatch(
      /\*Gateway session\* :white_circle: not signed in \(last session ended: you signed out\)/,
    );
    expect(buttonsOf(home.view.blocks).map((b) => b.value)).toEqual(['signin']);
    expect(logouts() - before).toBe(2);
    const session = await env.stack.store.getSession('1001');
    expect(session).toMatchObject({ status: 'ended', endedReason: 'you signed out' });
    expect(dm().some((m) => /Signed out inspector 1001 from the gateway/.test(text(m)))).toBe(true);
  });

  it("an unlinked user's Home says they are not linked", async () => {
    await env.slack.openHome('U_STRANGER');
    const home = await waitForHome('U_STRANGER');
    expect(homeText(home)).toMatch(/You are not linked to a CC-Gateway inspector ID yet/);
    expect(buttonsOf(home.view.blocks)).toEqual([]);
  });

  it('no Guid, password or alerts secret in the logs, the Slack messages or the Slack calls', async () => {
    await env.stack.queue.drained();
    await env.guids.note('1001', '1003');
    expectNoSecrets(env.stack, env.logs, env.guids.guids);
    const views = JSON.stringify([...env.stack.slack.store.homeViews.values()]);
    for (const guid of env.guids.guids) expect(views).not.toContain(guid);
    const seen = [
      env.logs.text(),
      JSON.stringify(env.stack.slack.store.messages),
      JSON.stringify(env.stack.slack.store.calls),
    ];
    for (const where of seen) expect(where).not.toContain(LOCAL_ALERTS_SECRET);
  });
});

/** The Home tab's session buttons (Sign in / Stop / Sign out), not the Floor section's agent buttons. */
function sessionButtons(home: { view: { blocks?: unknown } }) {
  const blocks = Array.isArray(home.view.blocks) ? (home.view.blocks as Array<{ block_id?: string }>) : [];
  return buttonsOf(blocks.filter((b) => b.block_id === 'qc_home'));
}
