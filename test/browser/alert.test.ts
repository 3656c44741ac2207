import type { Locator } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type ConsoleHarness, describeBrowser, startConsole, waitForText } from './harness';
import { focused } from './measure';

/**
 * Scenario b: a monitoring alert raised from the call-centre panel; Listen and Intercept (with its
 * confirm dialog) from the alert's buttons; a second inspector clicking Intercept while the first
 * one's intercept is under way is refused; the alert edited in place.
 */
describeBrowser('browser console: an alert, Listen, Intercept, a second inspector refused', () => {
  let h: ConsoleHarness;
  beforeAll(async () => {
    h = await startConsole('alert');
  });
  afterAll(async () => {
    await h?.close();
  });

  it('raise-alert for 2005 → Listen → Take over (confirm, Yes) → alert updated in place; U_DEMO2 refused', async () => {
    const a = h.console;
    const { page } = a;
    // Only a signed-in inspector gets as far as the "already intercepted" check.
    await a.signIn('U_DEMO2');
    await a.signIn('U_DEMO');

    const row = a.tid('sim-panel').locator('[data-testid="agent-row"][data-agent="2005"]');
    await row.getByTestId('raise-alert').click();
    const raised = a
      .channelMessage(/2005/)
      .filter({
        has: page.locator(
          '[data-testid="block-button"][data-action-id^="qc_floor_takeover"][data-value^="2005:"]',
        ),
      })
      .last();
    await raised.waitFor();
    const ts = await raised.getAttribute('data-ts');
    expect(ts).toBeTruthy();
    /** The alert message, found by its ts: the same message before and after each edit. */
    const alert: Locator = a.channelMessageByTs(String(ts));
    await waitForText(alert, /Nobody is on this call yet/);
    const labels = await alert.getByTestId('block-button').allInnerTexts();
    expect(labels.map((l) => l.trim())).toEqual(['Listen', 'Whisper', 'Insert', 'Take over', 'Stop']);
    expect(await a.button(alert, /^Take over$/).getAttribute('class')).toMatch(/style-danger/);

    await a.button(alert, /^Listen$/).click();
    await waitForText(alert, /listening to 2005 since \d\d:\d\d UTC/);
    expect(await alert.getAttribute('data-edited')).toBe('true');

    // Intercept asks to confirm; Esc leaves everything as it was.
    await a.button(alert, /^Take over$/).click();
    const dialog = a.tid('confirm-dialog');
    await waitForText(dialog, /Take over 2005's call\?/);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    // The keyboard is back on Intercept: Enter asks again, Esc says no again.
    expect(await focused(page)).toBe('block-button');
    await page.keyboard.press('Enter');
    await waitForText(dialog, /Take over 2005's call\?/);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });

    // A slow gateway (the panel's "slow" preset: QC requests answer after 2 s) keeps the alert as it
    // is while U_DEMO's intercept is under way, so U_DEMO2 still sees the Intercept button and clicks
    // it: the second inspector is refused, before the gateway. (The console's bridge refuses a click
    // on a button the message no longer has, so a stale screen cannot be simulated otherwise.)
    const panel = a.tid('sim-panel');
    await panel.getByTestId('fault-kind').selectOption('slow');
    await a.clickAndWaitFor(panel.getByTestId('fault-inject'), 'POST', '/console/api/sim/fault');

    const alertId = String(await a.button(alert, /^Take over$/).getAttribute('data-value')).split(':')[1];
    await a.button(alert, /^Take over$/).click();
    await dialog.waitFor();
    await a.clickAndWaitFor(a.tid('confirm-yes'), 'POST', '/console/api/action');
    await dialog.waitFor({ state: 'hidden' });
    // U_DEMO's click has claimed the call (server side, before the slow gateway call).
    await expect
      .poll(async () => (await h.stack.store.alerts.getAlert(String(alertId)))?.interceptedBy?.userId, {
        timeout: 5_000,
      })
      .toBe('U_DEMO');

    await a.switchUser('U_DEMO2');
    await a.button(alert, /^Take over$/).click();
    await dialog.waitFor();
    await a.tid('confirm-yes').click();
    const refusal = await waitForText(
      page.getByTestId('message'),
      /already intercepted by .+ at \d\d:\d\d UTC/,
    );
    expect(await refusal.getAttribute('data-ephemeral')).toBe('true');
    await waitForText(refusal, /Only visible to you/);
    await waitForText(refusal, /nothing was sent to the gateway/);
    expect(await refusal.textContent()).not.toContain('<@U_DEMO>');

    // Once the gateway answered, the alert is edited in place: same ts, "Intercepted by … at HH:MM
    // UTC", only Stop left.
    await waitForText(alert, /Intercepted by .+ at \d\d:\d\d UTC/);
    await a.button(alert, /^Take over$/).waitFor({ state: 'detached' });
    expect((await alert.getByTestId('block-button').allInnerTexts()).map((l) => l.trim())).toEqual(['Stop']);
    expect(await alert.getAttribute('data-edited')).toBe('true');
    expect(await a.channelMessageByTs(String(ts)).count()).toBe(1);
    expect(await alert.textContent()).not.toContain('<@U_DEMO>');
    await a.clickAndWaitFor(panel.getByTestId('fault-clear'), 'DELETE', '/console/api/sim/fault');

    await a.switchUser('U_DEMO');
    await a.openThread(alert);
    await a.waitForThreadMessage(/Intercepted the call of agent 2005/);
    // The refusal was U_DEMO2's alone.
    await page
      .getByTestId('message')
      .filter({ hasText: /already intercepted/ })
      .waitFor({ state: 'hidden' });
    await a.screenshot('console-alert.png');
    expect(await h.stack.sim?.sim.requestLog.filter((r) => r.logName === 'intercept').length).toBe(1);
    a.expectClean();
  });
});
