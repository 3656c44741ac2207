import { afterAll, beforeAll, expect, it } from 'vitest';
import { type ConsoleHarness, describeBrowser, startConsole, waitForText } from './harness';

/** Scenario c: a Slack user nobody linked to an inspector. */
describeBrowser('browser console: an unlinked user', () => {
  let h: ConsoleHarness;
  beforeAll(async () => {
    h = await startConsole('not-linked');
  });
  afterAll(async () => {
    await h?.close();
  });

  it('U_STRANGER types /intercept 2005 → "not linked", only visible to them', async () => {
    const c = h.console;
    await c.switchUser('U_STRANGER');
    await c.send('/intercept 2005');
    const answer = await waitForText(c.page.getByTestId('message'), /not linked/);
    expect(await answer.getAttribute('data-ephemeral')).toBe('true');
    await waitForText(answer, /Only visible to you/);
    await waitForText(answer, /admin/);
    expect(
      await c.page
        .getByTestId('message')
        .filter({ hasText: /not linked/ })
        .count(),
    ).toBe(1);

    // Nobody else sees it.
    await c.switchUser('U_DEMO');
    await c.page
      .getByTestId('message')
      .filter({ hasText: /not linked/ })
      .waitFor({ state: 'hidden' });
    await c.switchUser('U_STRANGER');
    await waitForText(c.page.getByTestId('message'), /not linked/);
    c.expectClean();
  });
});
