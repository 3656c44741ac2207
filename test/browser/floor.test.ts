import { WebClient } from '@slack/web-api';
import type { Locator } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { slackSignature } from '../../local/slack-sign';
import { LOCAL_BOT_TOKEN, LOCAL_SIGNING_SECRET, LOCAL_TEAM } from '../../local/stack';
import { buildFloor, type FloorView } from '../../src/qc/floor';
import { gatewaySession } from '../../src/qc/run-qc';
import { floorHomeBlocks } from '../../src/slack/blocks/floor';
import { type ConsoleHarness, describeBrowser, startConsole, waitForText } from './harness';
import { expectNoOverflowX, expectNoSidewaysScroll, focused, type PageGlobals } from './measure';

/**
 * Issue 15 item 5: the floor message in the console (the inspector's DM with the app): header, counts,
 * a row per agent on a call with Listen / Whisper / Take over (danger, asks to confirm), redrawn in place
 * by chat.update. Take over, confirmed, reaches /slack/events as a signed block_actions request.
 */
describeBrowser('browser console: the floor message', () => {
  let h: ConsoleHarness;
  beforeAll(async () => {
    h = await startConsole('floor', { viewport: { width: 1280, height: 800 } });
    await h.console.signIn('U_DEMO');
  });
  afterAll(async () => {
    await h?.close();
  });

  /** The floor of inspector 1001's VDN as the simulator has it now (one allAgentStatus read). */
  async function floorView(page = 0): Promise<FloorView> {
    const session = await h.stack.store.getSession('1001');
    if (!session) throw new Error('1001 is not signed in');
    const read = await h.stack.deps.gateway.allAgentStatus(gatewaySession(session));
    if (!read.ok) throw new Error(`allAgentStatus: ${read.retcode}`);
    const now = Date.now();
    return { floor: buildFloor(read.data.agents, [], now), scope: { kind: 'vdn' }, now, page };
  }

  const ctx = { teamId: LOCAL_TEAM, userId: 'U_DEMO', channelId: 'C_QC' };

  it('renders, Take over asks to confirm (keyboard), the click arrives signed, a redraw updates it', async () => {
    const a = h.console;
    const { page } = a;
    const posted = await h.stack.deps.notifier.postFloor(ctx, 'dm', await floorView());

    await a.tid('tab-dm').click();
    const floor: Locator = a.tid('dm-view').locator(`[data-testid="message"][data-ts="${posted.ts}"]`);
    await waitForText(floor, /2005/);
    const text = await floor.textContent();
    expect(text ?? '').toMatch(/talking/);
    expect(text ?? '').toMatch(/2006/);
    // Listen / Whisper / Take over per agent on a call; Take over is the danger button.
    const takeOver = floor.locator('[data-testid="block-button"][data-action-id^="qc_floor_takeover"]');
    expect(await takeOver.count()).toBeGreaterThanOrEqual(2);
    expect(await takeOver.first().getAttribute('class')).toMatch(/style-danger/);
    expect(await a.button(floor, /^Listen$/).count()).toBeGreaterThanOrEqual(2);
    expect(await a.button(floor, /^Whisper$/).count()).toBeGreaterThanOrEqual(2);
    await expectNoOverflowX(floor, 'the floor message at 1280 px');
    await expectNoSidewaysScroll(page);

    // Keyboard only: focus Take over of 2005, Enter → the confirm dialog; Esc says no.
    const take2005 = floor.locator(
      '[data-testid="block-button"][data-action-id^="qc_floor_takeover"][data-value*="2005"]',
    );
    await take2005.focus();
    await page.keyboard.press('Enter');
    const dialog = a.tid('confirm-dialog');
    await waitForText(dialog, /2005/);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(await focused(page)).toBe('block-button');

    const before = h.stack.console?.sent.length ?? 0;
    await page.keyboard.press('Enter');
    await dialog.waitFor();
    await a.clickAndWaitFor(a.tid('confirm-yes'), 'POST', '/console/api/action');
    const sent = (h.stack.console?.sent ?? []).slice(before);
    const click = sent.find((r) => r.body.startsWith('payload='));
    if (!click) throw new Error('no interaction sent to /slack/events');
    const payload = JSON.parse(new URLSearchParams(click.body).get('payload') ?? '{}') as {
      type: string;
      user: { id: string };
      actions: { action_id: string; value: string }[];
      container: { channel_id: string; message_ts: string };
    };
    expect(payload.type).toBe('block_actions');
    expect(payload.user.id).toBe('U_DEMO');
    expect(payload.actions[0]?.action_id).toMatch(/^qc_floor_takeover/);
    expect(payload.actions[0]?.value).toContain('2005');
    expect(payload.container.message_ts).toBe(posted.ts);
    const ts = Number(click.headers['x-slack-request-timestamp']);
    expect(click.headers['x-slack-signature']).toBe(slackSignature(LOCAL_SIGNING_SECRET, ts, click.body));
    expect(click.status).not.toBe(401);

    // A redraw (chat.update, over SSE): 2005's call ends, the row goes, in place.
    h.stack.sim?.sim.endCall('2005');
    await h.stack.deps.notifier.updateFloor(posted, await floorView());
    await expect
      .poll(async () => floor.locator('[data-action-id^="qc_floor_takeover"][data-value*="2005"]').count(), {
        timeout: 5_000,
      })
      .toBe(0);
    expect(await floor.getAttribute('data-edited')).toBe('true');

    // After 30 minutes it pauses: the note says so and Refresh is offered (keyboard-reachable).
    await h.stack.deps.notifier.updateFloor(posted, { ...(await floorView()), paused: true });
    await waitForText(floor, /Paused/);
    const refresh = a.button(floor, /Refresh/);
    await refresh.focus();
    expect(await focused(page)).toBe('block-button');
    a.expectClean();
  });

  it('Home: the floor section renders and a new views.publish redraws it', async () => {
    const a = h.console;
    const client = new WebClient(LOCAL_BOT_TOKEN, {
      slackApiUrl: `${h.stack.url}/api/`,
      retryConfig: { retries: 0 },
    });
    const publish = async () =>
      client.views.publish({
        user_id: 'U_DEMO',
        view: { type: 'home', blocks: floorHomeBlocks(await floorView(), 100) as never },
      });
    // Opening Home publishes the app's own Home first (app_home_opened); the floor section comes after it.
    const opened = h.stack.slack.store.callsOf('views.publish').length;
    await a.tid('tab-home').click();
    await expect.poll(() => h.stack.slack.store.callsOf('views.publish').length).toBeGreaterThan(opened);
    const home = a.tid('home-view');
    h.stack.sim?.sim.startCall('2003');
    await publish();
    await home
      .locator('[data-testid="block-button"][data-action-id^="qc_floor_takeover"][data-value*="2003"]')
      .waitFor();
    expect(await home.locator('[data-action-id^="qc_floor_takeover"]').first().getAttribute('class')).toMatch(
      /style-danger/,
    );
    h.stack.sim?.sim.endCall('2003');
    await publish();
    await home
      .locator('[data-action-id^="qc_floor_takeover"][data-value*="2003"]')
      .waitFor({ state: 'detached' });
    a.expectClean();
  });

  it('at 800 px a floor of 300 agents on calls is paged and fits: no sideways scroll', async () => {
    const a = h.console;
    const { page } = a;
    await page.setViewportSize({ width: 800, height: 700 });
    await a.tid('tab-dm').click();
    const now = Date.now();
    const entries = Array.from({ length: 300 }, (_, i) => ({
      workNo: String(5001 + i),
      status: 7,
      sinceMs: now - i * 1_000,
      callerNumber: `1390000${String(i).padStart(4, '0')}`,
    }));
    const big: FloorView = { floor: buildFloor(entries, [], now), scope: { kind: 'vdn' }, now, page: 0 };
    const posted = await h.stack.deps.notifier.postFloor(ctx, 'dm', big);
    const floor = a.tid('dm-view').locator(`[data-testid="message"][data-ts="${posted.ts}"]`);
    await waitForText(floor, /not shown: use the page buttons/);
    expect(await a.button(floor, /Next/).count()).toBe(1);
    // Numbers masked to their last 4 digits.
    expect(await floor.textContent()).not.toContain('13900000001');
    await expectNoOverflowX(floor, 'the floor message at 800 px');
    await expectNoSidewaysScroll(page);
    a.expectClean();
  });

  it('the panel turns traffic on and off by keyboard and sets calls a minute; calls then start on their own', async () => {
    const a = h.console;
    const { page } = a;
    const sim = h.stack.sim?.sim;
    if (!sim) throw new Error('no simulator');
    const toggle = a.tid('traffic-switch');
    expect(await toggle.getAttribute('aria-pressed')).toBe('false');
    await toggle.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => toggle.getAttribute('aria-pressed')).toBe('true');
    await waitForText(a.tid('traffic-status'), /10 calls a minute/);
    expect(sim.traffic.status().on).toBe(true);

    const rate = a.tid('traffic-rate');
    await rate.focus();
    await rate.fill('600');
    await page.keyboard.press('Tab');
    await expect.poll(() => sim.traffic.status().callsPerMinute).toBe(600);
    await waitForText(a.tid('traffic-status'), /600 calls a minute/);
    await expect.poll(() => sim.traffic.status().started, { timeout: 10_000 }).toBeGreaterThan(0);
    await waitForText(a.tid('traffic-status'), /[1-9]\d* started/);

    await toggle.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => toggle.getAttribute('aria-pressed')).toBe('false');
    expect(sim.traffic.status().on).toBe(false);
    a.expectClean();
  });

  it('an alert for an idle agent says so and offers Check again; after Call, Check again brings the QC buttons', async () => {
    const a = h.console;
    const { page } = a;
    await a.tid('tab-channel').click();
    // An agent idle now (traffic is off again: no call starts on it by itself).
    const agent = h.stack.sim?.sim
      .snapshot()
      .agents.find((x) => /^20\d\d$/.test(x.id) && x.signedIn && x.stateName === 'idle' && !x.callId)?.id;
    if (!agent) throw new Error('no idle agent');
    const row = a.tid('sim-panel').locator(`[data-testid="agent-row"][data-agent="${agent}"]`);
    await row.getByTestId('raise-alert').click();
    const found = await a.waitForChannelMessage(new RegExp(`${agent} is not on a call \\(idle\\)`));
    // The same message through its edits (its text changes).
    const alert = a.channelMessageByTs(String(await found.getAttribute('data-ts')));
    const labels = async () =>
      (await alert.getByTestId('block-button').allTextContents()).map((l) => l.trim());
    expect(await labels()).toEqual(['Check again']);

    await a.clickAndWaitFor(row.getByTestId('start-call'), 'POST', '/console/api/sim/call');
    await a.button(alert, /^Check again$/).focus();
    await page.keyboard.press('Enter');
    await expect
      .poll(labels, { timeout: 5_000 })
      .toEqual(['Listen', 'Whisper', 'Insert', 'Take over', 'Stop']);
    expect(await alert.textContent()).not.toMatch(/not on a call/);
    a.expectClean();
  });

  it('the keyboard stays on the row it was on through a live redraw and after Esc (not the first row)', async () => {
    const a = h.console;
    const { page } = a;
    await a.tid('tab-dm').click();
    const sim = h.stack.sim?.sim;
    if (!sim) throw new Error('no simulator');
    for (const id of ['2011', '2012']) if (!sim.agent(id)?.callId) sim.startCall(id);
    const posted = await h.stack.deps.notifier.postFloor(ctx, 'dm', await floorView());
    const floor = a.tid('dm-view').locator(`[data-testid="message"][data-ts="${posted.ts}"]`);
    const rows = floor.locator('[data-action-id^="qc_floor_takeover"]');
    await expect.poll(() => rows.count()).toBeGreaterThanOrEqual(2);
    const second = String(await rows.nth(1).getAttribute('data-value'));
    await rows.nth(1).focus();
    const focusedValue = () =>
      page.evaluate(() => (globalThis as unknown as PageGlobals).document.activeElement?.dataset.value);

    sim.startCall('2013');
    await h.stack.deps.notifier.updateFloor(posted, await floorView());
    await waitForText(floor, /2013/);
    expect(await focusedValue()).toBe(second);

    await page.keyboard.press('Enter');
    await a.tid('confirm-dialog').waitFor();
    await page.keyboard.press('Escape');
    await a.tid('confirm-dialog').waitFor({ state: 'hidden' });
    expect(await focusedValue()).toBe(second);
    a.expectClean();
  });
});
