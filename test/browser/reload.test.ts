import { afterAll, beforeAll, expect, it } from 'vitest';
import { type ConsoleHarness, describeBrowser, startConsole, waitForText } from './harness';

/**
 * What the page keeps for a person: the Messages tab says when a DM arrived while they were
 * elsewhere, and a reload keeps the open thread and the chosen fault (as it keeps the user and tab).
 */
describeBrowser('browser console: unread Messages, and what a reload keeps', () => {
  let h: ConsoleHarness;
  beforeAll(async () => {
    h = await startConsole('reload');
  });
  afterAll(async () => {
    await h?.close();
  });

  it('a DM while in #qc-floor marks Messages unread until it is opened; a reload leaves it read', async () => {
    const c = h.console;
    await c.switchUser('U_DEMO');
    const unread = c.tid('tab-dm').getByTestId('dm-unread');
    expect(await unread.count()).toBe(0);

    await c.send('/qc audit export');
    await waitForText(unread, /^1/);
    expect(await c.tid('tab-dm').getAttribute('aria-label')).toMatch(/Messages, 1 unread/);
    // Another user's Messages are theirs: nothing unread for U_DEMO2.
    await c.switchUser('U_DEMO2');
    await unread.waitFor({ state: 'detached' });
    await c.switchUser('U_DEMO');
    await unread.waitFor();

    await c.tid('tab-dm').click();
    await c.tid('dm-view').getByTestId('file-link').waitFor();
    await unread.waitFor({ state: 'detached' });
    await c.tid('tab-channel').click();
    await c.page.reload();
    await c.page.locator('[data-testid="composer"]:enabled').waitFor();
    await c.tid('channel-view').getByTestId('message').first().waitFor();
    expect(await unread.count()).toBe(0);
    c.expectClean();
  });

  it('an open thread and the chosen fault are still there after a reload', async () => {
    const c = h.console;
    await c.signIn('U_DEMO');
    await c.send('/qc listen 2005');
    const result = await c.waitForChannelMessage(/Listening to agent 2005/);
    const ts = await result.getAttribute('data-ts');
    await c.openThread(result);
    await c.waitForThreadMessage(/Phone answered/);
    await c.tid('fault-kind').selectOption('900-003');

    await c.page.reload();
    await c.page.locator('[data-testid="composer"]:enabled').waitFor();
    await c.waitForThreadMessage(/Phone answered/);
    expect(await c.threadPane.getByTestId('message').first().getAttribute('data-ts')).toBe(ts);
    expect(await c.tid('fault-kind').inputValue()).toBe('900-003');

    // Closed stays closed.
    await c.tid('thread-close').click();
    await c.threadPane.waitFor({ state: 'hidden' });
    await c.page.reload();
    await c.page.locator('[data-testid="composer"]:enabled').waitFor();
    await c.waitForChannelMessage(/Listening to agent 2005/);
    expect(await c.threadPane.isVisible()).toBe(false);
    c.expectClean();
  });
});
