import { afterAll, beforeAll, expect, it } from 'vitest';
import { type ConsoleHarness, describeBrowser, startConsole, waitForText } from './harness';
import { focused } from './measure';

/**
 * Keyboard only, at 1280 and at 800 px wide: sign in through the modal, close it with Esc and go on
 * typing; open a thread and close it with Esc; Esc in the message box leaves the thread and the focus
 * where they are. Only the first focus (the message box) is set by the test; then it is all keys.
 */
describeBrowser('browser console: keyboard only, at 1280 and at 800 px', () => {
  let h: ConsoleHarness;
  beforeAll(async () => {
    h = await startConsole('keyboard');
  });
  afterAll(async () => {
    await h?.close();
  });

  for (const [width, height, user, inspector] of [
    [1280, 800, 'U_DEMO', '1001'],
    [800, 700, 'U_DEMO2', '1003'],
  ] as const) {
    it(`at ${width} px as ${user}: modal, Esc, typing goes on; thread by Enter, Esc back; Esc in the box keeps the thread`, async () => {
      const c = h.console;
      const { page } = c;
      const keys = page.keyboard;
      await page.setViewportSize({ width, height });
      await c.switchUser(user);
      await c.composer.focus();

      await keys.type('/qc signin');
      await keys.press('Escape'); // the autocomplete list
      await keys.press('Enter');
      await c.modal.waitFor();
      expect(await focused(page)).toBe('qc_password');
      await keys.type('simulator');
      await keys.press('Enter');
      await waitForText(c.modal, new RegExp(`Signed in as inspector ${inspector}`));
      await keys.press('Escape');
      await c.modal.waitFor({ state: 'detached' });

      // Back in the message box, and what is typed arrives there.
      expect(await focused(page)).toBe('composer');
      await keys.type('/qc listen 2005');
      expect(await c.composer.inputValue()).toBe('/qc listen 2005');
      await keys.press('Enter');
      const listening = await c.waitForChannelMessage(
        new RegExp(`inspector ${inspector}\\): Listening to agent 2005`),
      );
      await listening.getByTestId('reply-count').waitFor();

      // Shift+Tab from the message box reaches the newest message's "1 reply"; Enter opens the thread.
      await keys.press('Shift+Tab');
      expect(await focused(page)).toBe('reply-count');
      await keys.press('Enter');
      await c.waitForThreadMessage(/Phone answered: you are listening to 2005/);
      expect(await focused(page)).toBe('thread-title');
      await keys.press('Escape');
      await c.threadPane.waitFor({ state: 'hidden' });
      expect(await focused(page)).toBe('reply-count');

      // Thread open again, then Tab on into the message box: Esc there keeps the thread and the focus.
      await keys.press('Enter');
      await c.threadPane.waitFor();
      for (let i = 0; i < 10 && (await focused(page)) !== 'composer'; i++) await keys.press('Tab');
      expect(await focused(page)).toBe('composer');
      await keys.press('Escape');
      expect(await focused(page)).toBe('composer');
      expect(await c.threadPane.isVisible()).toBe(true);
      await keys.type('/qc status');
      expect(await c.composer.inputValue()).toBe('/qc status');
      await keys.press('Escape'); // the list
      await keys.press('Escape'); // nothing left to close in the box
      expect(await c.threadPane.isVisible()).toBe(true);
      await keys.press('Enter');
      // At 800 px the thread covers the channel: sending brings the channel back to show the answer.
      if (width < 1000) await c.threadPane.waitFor({ state: 'hidden' });
      await c.waitForChannelMessage(new RegExp(`Inspector: ${inspector}.*Gateway session: signed in`));
      expect(await c.threadPane.isVisible()).toBe(width >= 1000);
      expect(await c.composer.inputValue()).toBe('');
      expect(await focused(page)).toBe('composer');

      // Stop listening, so 2005 is free for the next width's inspector.
      await keys.type('/qc stop 2005');
      await keys.press('Enter');
      await c.waitForChannelMessage(/Stopped monitoring/);
      c.expectClean();
    });
  }
});
