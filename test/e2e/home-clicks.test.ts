import { describe, expect, it } from 'vitest';
import type { StoredView } from '../../local/slack-api/store';
import { buttonsOf } from './driver';
import { gatewayRequests, text, useLocalStack } from './support';

/**
 * A click in the App Home tab carries no response_url (and no channel): the app answers it by DM and
 * redraws the tab. A Home tab can be stale (drawn before an admin unlinked the user): its buttons still
 * reach the app, which must answer in words, never with a 500.
 */
const env = useLocalStack();

function waitForHome(user: string, after = -1): Promise<StoredView> {
  return env.stack.slack.store.waitFor((s) => {
    const v = s.homeViews.get(user);
    return v && v.updates > after ? v : undefined;
  });
}
const homeText = (v: StoredView) => JSON.stringify(v.view.blocks);
const dm = (user: string) => env.stack.slack.store.channelMessages(`D${user.replace(/^U/, '')}`);

describe('Home-tab clicks of a user an admin has unlinked (a stale Home tab)', () => {
  it('Home shows Sign in; after the unlink, Sign in → 200, a DM says not linked and what to do, Home redrawn', async () => {
    await env.slack.openHome('U_DEMO2');
    const first = await waitForHome('U_DEMO2');
    expect(buttonsOf(first.view.blocks).map((b) => b.value)).toEqual(['signin']);
    const signIn = buttonsOf(first.view.blocks)[0];
    if (!signIn) throw new Error('no Sign in button');

    const unlink = await env.slack.command('/qc unlink <@U_DEMO2|demo2>', 'U_ADMIN');
    expect(unlink.status).toBe(200);
    await env.stack.queue.drained();
    expect(await env.stack.store.getLink(env.stack.slack.teamId, 'U_DEMO2')).toBeFalsy();

    const drawn = env.stack.slack.store.homeViews.get('U_DEMO2')?.updates ?? 0;
    const views = env.stack.slack.store.views.length;
    const click = await env.slack.clickHomeButton('U_DEMO2', 'signin', signIn);
    expect(click.status).toBe(200);
    const said = await env.stack.slack.store.waitFor(() =>
      dm('U_DEMO2').find((m) => /not linked to a CC-Gateway inspector ID/.test(text(m))),
    );
    expect(JSON.stringify(said.blocks)).toMatch(/qc link/);
    const home = await waitForHome('U_DEMO2', drawn);
    expect(homeText(home)).toMatch(/You are not linked to a CC-Gateway inspector ID yet/);
    expect(buttonsOf(home.view.blocks)).toEqual([]);
    // No sign-in modal for someone who is not linked.
    expect(env.stack.slack.store.views.slice(views).filter((v) => v.type === 'modal')).toEqual([]);
    expect(env.logs.text()).not.toMatch(/respond is not a function/);
    expect(env.stack.slack.lateAcks()).toEqual([]);
  });

  it('a stale Stop button on Home → 200, the not-linked answer by DM, Home redrawn, nothing queued for the gateway', async () => {
    const drawn = env.stack.slack.store.homeViews.get('U_DEMO2')?.updates ?? 0;
    const before = dm('U_DEMO2').length;
    const stops = gatewayRequests(env.stack, 'stopSuperviseOrInsert').length;
    const click = await env.slack.clickHomeButton('U_DEMO2', 'stop:', {
      action_id: 'qc_op:0',
      value: 'stop:2005',
    });
    expect(click.status).toBe(200);
    const said = await env.stack.slack.store.waitFor(() =>
      dm('U_DEMO2')
        .slice(before)
        .find((m) => /not linked/.test(text(m))),
    );
    expect(said).toBeTruthy();
    await waitForHome('U_DEMO2', drawn);
    await env.stack.queue.drained();
    expect(gatewayRequests(env.stack, 'stopSuperviseOrInsert').length).toBe(stops);
  });

  it('a Home button whose value is no longer valid → 200 and a DM that says so', async () => {
    const before = dm('U_DEMO').length;
    await env.slack.openHome('U_DEMO');
    await waitForHome('U_DEMO');
    const click = await env.slack.clickHomeButton('U_DEMO', 'x', { action_id: 'qc_op:0', value: 'bogus' });
    expect(click.status).toBe(200);
    await env.stack.slack.store.waitFor(() =>
      dm('U_DEMO')
        .slice(before)
        .find((m) => /not valid any more/.test(text(m))),
    );
  });
});
