import { describe, expect, it } from 'vitest';
import type { StoredMessage, StoredView } from '../../local/slack-api/store';
import { blockActionsPayload, interactionBody } from '../../local/slack-sign';
import { LOCAL_CHANNEL, LOCAL_TEAM } from '../../local/stack';
import { buttonsOf } from './driver';
import { gatewayRequests, text, until, useLocalStack } from './support';

/**
 * `/qc floor` end to end: signed Slack requests, the simulator, the local Slack API. The floor is posted
 * in the requester's DM (or the channel with `share`), stored for the keeper, and answered with a link.
 */
const env = useLocalStack();

const DM = 'D_DEMO';
const reads = () => gatewayRequests(env.stack, 'queryAllAgentStatus').length;
const blocksText = (m: { blocks?: unknown }) => JSON.stringify(m.blocks ?? []);
const floors = () => env.stack.store.floors.listFloors('1001');

/** The simulator's VDN 1 as the floor should show it: every agent but the inspector, by state. */
function expectedFloor(inspector: string): Map<string, string> {
  const word: Record<number, string> = { 2: 'signed-out', 3: 'busy', 4: 'idle', 5: 'wrap-up', 7: 'talking' };
  const agents = env.sim.snapshot().agents as Array<{ id: string; vdn: number; state: number }>;
  return new Map(
    agents
      .filter((a) => a.vdn === 1 && a.id !== inspector)
      .map((a) => [a.id, word[a.state] ?? `state ${a.state}`]),
  );
}

/** Runs a `/qc floor …` command and waits for its three results: the answer, the message, the record. */
async function openFloor(commandLine: string, channel: string, header: RegExp, answerMatch: RegExp) {
  const since = env.mark();
  const ack = await env.slack.command(commandLine);
  const answer = await env.stack.slack.store.waitFor((s) =>
    s.messages.slice(since).find((m) => m.ephemeralTo === 'U_DEMO' && answerMatch.test(text(m))),
  );
  const floor = await newMessage(channel, since, header);
  const rec = await env.stack.store.floors.getFloor(LOCAL_TEAM, `${channel}:${floor.ts}`);
  if (!rec) throw new Error('no floor record once the answer was given');
  return { ack, answer, floor, rec };
}

function newMessage(channel: string, since: number, match: RegExp): Promise<StoredMessage> {
  return env.stack.slack.store.waitFor((s) =>
    s.messages.slice(since).find((m) => m.channel === channel && !m.ephemeralTo && match.test(text(m))),
  );
}

describe('/qc floor: opening the floor', () => {
  it('not signed in → "sign in first" with the button, at once; no job, no gateway read', async () => {
    const sent = env.stack.queue.sent;
    const before = reads();
    const ack = await env.slack.command('/qc floor');
    expect(ack.status).toBe(200);
    expect(JSON.stringify(ack.json)).toMatch(/sign in/i);
    expect(buttonsOf(ack.json?.blocks).map((b) => b.value)).toContain('signin');
    expect(env.stack.queue.sent).toBe(sent);
    expect(reads()).toBe(before);
  });

  it('bad words → a usage answer naming the problem, no job', async () => {
    const sent = env.stack.queue.sent;
    const ack = await env.slack.command('/qc floor abc');
    expect(ack.json?.text).toMatch(
      /`abc` is not a skill ID.*Usage: \/qc floor \[all\|&lt;skill-id&gt;\] \[share\]/,
    );
    expect(env.stack.queue.sent).toBe(sent);
  });

  it('signed in, after /qc listen 2005: the floor in the DM (every agent, its state, who listens), the answer links it', async () => {
    await env.signIn('U_DEMO', '1001');
    await env.slack.command('/qc listen 2005');
    const listened = await env.slack.waitForChannelMessage(/Listening to agent 2005/);
    await env.slack.waitForThread(listened, /Phone answered/);

    const before = reads();
    const { ack, answer, floor, rec } = await openFloor(
      '/qc floor',
      DM,
      /^Floor your VDN/,
      /The floor is in your DM/,
    );
    expect(ack.json?.text).toMatch(/Reading the floor of your VDN/);
    expect(text(answer)).toMatch(
      /^:clipboard: The floor is in your DM with qc-slack: <[^|>]+\|open it>\. It stays live for 30 minutes\.$/,
    );
    expect(reads() - before).toBeGreaterThanOrEqual(1); // exactly one per job: test/qc/floor-job.test.ts (the keeper may read too)

    const expected = expectedFloor('1001');
    const shown = blocksText(floor);
    for (const id of expected.keys()) expect(shown).toContain(`${id}`);
    expect(shown).not.toMatch(/\*1001\*/); // the inspector's own entry is left out
    const count = (state: string) => [...expected.values()].filter((s) => s === state).length;
    expect(text(floor)).toContain(`${count('talking')} talking`);
    expect(text(floor)).toContain(`${count('idle')} idle`);
    expect(shown).toContain(`${expected.size} agents`);
    // Who monitors whom: qc-slack's record of the listen, on 2005's row.
    expect(shown).toMatch(/\*2005\*[^"]*<@U_DEMO> listening/);
    // The customer's raw number is never shown (the simulator's call from 2005's customer).
    for (const call of env.sim.snapshot().calls as Array<{ caller: string }>)
      if (call.caller.length > 4) expect(JSON.stringify(floor)).not.toContain(call.caller);

    expect(rec).toMatchObject({ userId: 'U_DEMO', inspectorId: '1001', channel: DM, ts: floor.ts, page: 0 });
    expect(rec.scope).toEqual({ kind: 'vdn' });
    expect(answer.text).toContain(`archives/${DM}/p${floor.ts.replace('.', '')}`);
  });

  it('`share` posts the floor in the channel and says so', async () => {
    const { answer, rec } = await openFloor(
      '/qc floor share',
      LOCAL_CHANNEL,
      /^Floor your VDN/,
      /The floor is posted in this channel/,
    );
    expect(text(answer)).toMatch(/<[^|>]+\|open it>\. It stays live for 30 minutes\.$/);
    expect(rec.channel).toBe(LOCAL_CHANNEL);
  });

  it('a skill floor: /qc floor 1 shows that queue only (2001–2010), none of skill 2', async () => {
    const { floor, rec } = await openFloor('/qc floor 1', DM, /^Floor skill 1/, /The floor is in your DM/);
    const shown = blocksText(floor);
    for (let id = 2001; id <= 2010; id++) expect(shown).toContain(`${id}`);
    for (let id = 2011; id <= 2020; id++) expect(shown).not.toContain(`${id}`);
    expect(shown).not.toContain('does not say skill queues');
    expect(rec.scope).toEqual({ kind: 'skill', skillId: '1' });
  });

  it('a skill floor on a gateway that does not say who is in the queue: the whole VDN, and it says so', async () => {
    env.sim.injectFault({ interface: 'queryAgentByConfigedSkill', kind: 'status', status: 404 });
    const { floor } = await openFloor('/qc floor 2', DM, /^Floor skill 2/, /The floor is in your DM/);
    const shown = blocksText(floor);
    for (const id of [2001, 2010, 2011, 2020]) expect(shown).toContain(`${id}`);
    expect(shown).toContain('does not say skill queues');
  });

  it('a gateway refusal → a clear answer (retcode, meaning, what to do); nothing posted, nothing stored', async () => {
    const stored = (await floors()).length;
    const since = env.mark();
    env.sim.injectFault({ interface: 'queryAllAgentStatus', kind: 'retcode', retcode: '100-007' });
    await env.slack.command('/qc floor');
    const answer = await env.stack.slack.store.waitFor((s) =>
      s.messages.slice(since).find((m) => m.ephemeralTo === 'U_DEMO' && /No floor/.test(text(m))),
    );
    expect(text(answer)).toMatch(
      /the gateway refused to list the agents: .+ \(retcode 100-007\)\. Nothing was posted\./,
    );
    await env.stack.queue.drained();
    expect((await floors()).length).toBe(stored);
    expect(env.stack.slack.store.messages.slice(since).filter((m) => m.channel === DM)).toEqual([]);
  });

  it('page/Refresh of a floor: a forged value gets no job; Refresh makes a paused floor live again', async () => {
    const { floor, rec } = await openFloor('/qc floor', DM, /^Floor your VDN/, /The floor is in your DM/);

    const sent = env.stack.queue.sent;
    await env.slack.post(pageClick(floor, 'qc_floor_page', 'all:-1'));
    expect(env.stack.queue.sent).toBe(sent);

    // The keeper pauses a floor after 30 minutes; here by hand, then a page click redraws it paused.
    await env.stack.store.floors.updateFloor(rec, { pausedAt: Date.now() });
    const page = await env.slack.post(pageClick(floor, 'qc_floor_page', 'all:0'));
    expect(page.status).toBe(200);
    const paused = await until('the floor redrawn paused', () => {
      const m = env.stack.slack.store.message(DM, floor.ts);
      return m && m.edits > 0 && /Paused/.test(blocksText(m)) ? m : undefined;
    });
    const pausedEdits = paused.edits; // the store edits the message object in place
    const refresh = buttonsOf(paused.blocks).find((b) => b.action_id.startsWith('qc_floor_refresh'));
    expect(refresh?.value).toBe('all:0');

    const before = reads();
    await env.slack.clickButton('U_DEMO', paused, 'all:0');
    const live = await until('the floor redrawn live', () => {
      const m = env.stack.slack.store.message(DM, floor.ts);
      return m && m.edits > pausedEdits && /Live/.test(blocksText(m)) ? m : undefined;
    });
    expect(blocksText(live)).not.toMatch(/Paused/);
    expect(reads() - before).toBeGreaterThanOrEqual(1); // exactly one per job: test/qc/floor-job.test.ts (the keeper may read too)
    const after = await until('the record live again', async () => {
      const r = await env.stack.store.floors.getFloor(LOCAL_TEAM, `${DM}:${floor.ts}`);
      return r && r.pausedAt === undefined && r.openedAt > rec.openedAt ? r : undefined;
    });
    expect(after.page).toBe(0);
  });

  it('a page click on a floor qc-slack no longer keeps → "this floor is closed; run /qc floor"', async () => {
    const { floor } = await openFloor('/qc floor', DM, /^Floor your VDN/, /The floor is in your DM/);
    await env.stack.store.floors.deleteFloor(LOCAL_TEAM, `${DM}:${floor.ts}`);
    await env.slack.post(pageClick(floor, 'qc_floor_page', 'all:1'));
    await env.slack.waitForEphemeral('U_DEMO', /This floor is closed .*Run `\/qc floor`/);
  });
});

describe('App Home: the Floor section', () => {
  function waitForHome(user: string, after = -1): Promise<StoredView> {
    return env.stack.slack.store.waitFor((s) => {
      const v = s.homeViews.get(user);
      return v && v.updates > after ? v : undefined;
    });
  }

  it('signed in: Home shows the floor (one read) and keeps a home:<user> record for the keeper', async () => {
    const before = reads();
    const drawn = env.stack.slack.store.homeViews.get('U_DEMO')?.updates ?? -1;
    await env.slack.openHome('U_DEMO');
    const home = await waitForHome('U_DEMO', drawn);
    const shown = JSON.stringify(home.view.blocks);
    const blocks = home.view.blocks as unknown[];
    expect(shown).toContain('Floor · your VDN');
    for (const id of expectedFloor('1001').keys()) expect(shown).toContain(id);
    expect(blocks.length).toBeLessThanOrEqual(100);
    expect(reads() - before).toBeGreaterThanOrEqual(1); // exactly one per job: test/qc/floor-job.test.ts (the keeper may read too)
    const rec = await env.stack.store.floors.getFloor(LOCAL_TEAM, 'home:U_DEMO');
    expect(rec).toMatchObject({ userId: 'U_DEMO', inspectorId: '1001', page: 0 });
    expect(rec?.channel).toBeUndefined();
  });

  it('not signed in: the section says "Sign in to see the floor"; no gateway read, no record', async () => {
    const before = reads();
    const drawn = env.stack.slack.store.homeViews.get('U_DEMO2')?.updates ?? -1;
    await env.slack.openHome('U_DEMO2');
    const home = await waitForHome('U_DEMO2', drawn);
    expect(JSON.stringify(home.view.blocks)).toContain('Sign in to see the floor.');
    expect(reads()).toBe(before);
    expect(await env.stack.store.floors.getFloor(LOCAL_TEAM, 'home:U_DEMO2')).toBeUndefined();
  });
});

/** A click on a floor message's button by action ID and value (a button the message may not show). */
function pageClick(floor: StoredMessage, actionId: string, value: string): string {
  return interactionBody(
    blockActionsPayload({
      userId: 'U_DEMO',
      teamId: LOCAL_TEAM,
      channelId: floor.channel,
      messageTs: floor.ts,
      responseUrl: env.stack.slack.newResponseUrl({
        channel: floor.channel,
        user: 'U_DEMO',
        messageTs: floor.ts,
      }),
      triggerId: env.stack.slack.newTriggerId({ user: 'U_DEMO', channel: floor.channel }),
      actionId,
      value,
    }),
  );
}
