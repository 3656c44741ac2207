import type { Locator } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type ConsoleHarness, describeBrowser, startConsole, waitForText } from './harness';

/**
 * Issue 15 item 5, the whole way in the console: `/qc floor` typed in #qc-floor → the floor in
 * Messages → Take over → confirm → the result with Talking and Recording; and a shared floor
 * (`/qc floor share`) → Take over → the result in #qc-floor, Talking and Recording in its thread.
 * The simulator answers the inspector's phone at once.
 */
describeBrowser('browser console: /qc floor → Take over → result and thread', () => {
  let h: ConsoleHarness;
  beforeAll(async () => {
    h = await startConsole('floor-takeover', { viewport: { width: 1280, height: 800 } });
    await h.console.signIn('U_DEMO');
  });
  afterAll(async () => {
    await h?.close();
  });

  const takeOver = (scope: Locator, agent: string) =>
    scope.locator(
      `[data-testid="block-button"][data-action-id^="qc_floor_takeover"][data-value^="${agent}"]`,
    );

  it('/qc floor → the floor in Messages → Take over 2005 → confirm → Taking over, Talking, Recording', async () => {
    const a = h.console;
    await a.send('/qc floor');
    await a.waitForChannelMessage(/The floor is in your DM/);
    await a.tid('tab-dm').click();
    const dm = a.tid('dm-view');
    const floor = dm.getByTestId('message').filter({ hasText: /Floor/ }).last();
    await takeOver(floor, '2005').waitFor();

    await takeOver(floor, '2005').click();
    await waitForText(a.tid('confirm-dialog'), /2005/);
    await a.clickAndWaitFor(a.tid('confirm-yes'), 'POST', '/console/api/action');
    // The take-over answers where it was asked: the DM (its thread replies are listed there in order).
    await waitForText(dm.getByTestId('message'), /Taking over 2005/);
    await waitForText(dm.getByTestId('message'), /Intercepted the call of agent 2005/);
    await waitForText(dm.getByTestId('message'), /Talking: caller/);
    await waitForText(dm.getByTestId('message'), /Recording /);
    expect(h.stack.sim?.sim.snapshot().calls.find((c) => c.agentId === '2005')?.owner).toBe('1001');
    a.expectClean();
  });

  it('/qc floor share → Take over 2006 in #qc-floor → the result there, Talking and Recording in its thread', async () => {
    const a = h.console;
    await a.tid('tab-channel').click();
    // 1001 is on 2005's customer now: U_DEMO2 (1003) takes over 2006.
    await a.signIn('U_DEMO2');
    await a.send('/qc floor share');
    const floor = a.channelMessage(/Floor/).last();
    await takeOver(floor, '2006').waitFor();
    await takeOver(floor, '2006').focus();
    await a.page.keyboard.press('Enter');
    await waitForText(a.tid('confirm-dialog'), /2006/);
    await a.clickAndWaitFor(a.tid('confirm-yes'), 'POST', '/console/api/action');
    const result = await a.waitForChannelMessage(/Taking over 2006/);
    await waitForText(result.getByTestId('reply-count'), /repl/);
    await a.openThread(result);
    await a.waitForThreadMessage(/Intercepted the call of agent 2006/);
    await a.waitForThreadMessage(/Talking: caller/);
    await a.waitForThreadMessage(/Recording /);
    a.expectClean();
  });
});
