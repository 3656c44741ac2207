import { afterAll, beforeAll, expect, it } from 'vitest';
import { type ConsoleHarness, describeBrowser, startConsole, waitForText } from './harness';

/** Scenario f: the App Home tab, and the keyboard (Enter sends, Esc closes the modal and the thread). */
describeBrowser('browser console: App Home and the keyboard', () => {
  let h: ConsoleHarness;
  beforeAll(async () => {
    h = await startConsole('home');
  });
  afterAll(async () => {
    await h?.close();
  });

  it('Esc closes the modal and the thread; the Home tab shows the session and the monitoring', async () => {
    const c = h.console;
    const { page } = c;
    await c.switchUser('U_DEMO');

    // Keyboard only: Enter sends, Esc closes the modal.
    await c.send('/qc signin', { enter: true });
    await c.modal.waitFor();
    await page.keyboard.press('Escape');
    await c.modal.waitFor({ state: 'hidden' });

    await c.signIn('U_DEMO');
    await c.send('/qc listen 2005', { enter: true });
    const listening = await c.waitForChannelMessage(/Listening to agent 2005/);

    // The thread opens from the keyboard and Esc closes it.
    await listening.getByTestId('reply-count').focus();
    await page.keyboard.press('Enter');
    await c.threadPane.waitFor();
    await c.waitForThreadMessage(/Phone answered: you are listening to 2005/);
    await page.keyboard.press('Escape');
    await c.threadPane.waitFor({ state: 'hidden' });

    await c.tid('tab-home').click();
    const home = c.tid('home-view');
    await home.waitFor();
    await waitForText(home, /Inspector\W*1001/);
    await waitForText(home, /phone 70001/);
    await waitForText(home, /Gateway session.*signed in .+ ago/);
    await waitForText(home, /event polling/);
    await waitForText(home, /Monitoring\W*listening to\W*2005/);
    // While monitoring, Home offers Stop (the gateway refuses a sign-out then).
    await waitForText(home.getByTestId('block-button'), /Stop monitoring 2005/);
    expect(await home.textContent()).not.toMatch(/guid/i);
    await c.screenshot('console-home.png');

    // Each user has their own Home.
    await c.switchUser('U_STRANGER');
    await waitForText(c.tid('home-view'), /not linked to a CC-Gateway inspector ID/);
    await c.tid('tab-channel').click();
    await c.tid('channel-view').waitFor();
    c.expectClean();
  });
});
