import { afterAll, beforeAll, expect, it } from 'vitest';
import { type ConsoleHarness, describeBrowser, startConsole, waitForText } from './harness';

/**
 * Scenario a: the whole happy path as a supervisor does it in the console — sign in through the
 * modal, /qc listen, /intercept — and what the channel and the result's thread show.
 */
describeBrowser('browser console: sign in, listen, intercept', () => {
  let h: ConsoleHarness;
  beforeAll(async () => {
    h = await startConsole('intercept');
  });
  afterAll(async () => {
    await h?.close();
  });

  it('/qc signin (modal) → /qc listen 2005 → /intercept 2005 → result in the channel, Talking and Recording in its thread', async () => {
    const c = h.console;
    await c.switchUser('U_DEMO');

    // Typed key by key: the autocomplete offers the /qc subcommands while typing.
    await c.composer.click();
    await c.composer.pressSequentially('/qc sig');
    await waitForText(c.tid('autocomplete-item'), /signin/);
    await c.composer.pressSequentially('nin');
    await c.tid('composer-send').click();

    await c.modal.waitFor();
    await waitForText(c.modal, /Sign in to the gateway/);
    await waitForText(c.modal, /Inspector 1001/);
    await c.modalInput('qc_password').fill('simulator');
    await c.tid('modal-submit').click();
    await waitForText(c.modal, /Signed in as inspector 1001/);
    await c.tid('modal-close').click();
    await c.modal.waitFor({ state: 'hidden' });

    await c.send('/qc listen 2005');
    const listening = await c.waitForChannelMessage(/Listening to agent 2005/);
    expect(await listening.getAttribute('data-bot')).toBe('true');

    await c.send('/intercept 2005');
    const result = await c.waitForChannelMessage(/Intercepted the call of agent 2005/);
    expect(await result.getAttribute('data-bot')).toBe('true');
    expect(await result.getAttribute('data-ephemeral')).not.toBe('true');
    await waitForText(result, /inspector 1001/);
    await waitForText(result, /retcode\W*0\b/i);
    // Mentions are drawn as names, as Slack does, never as raw <@U…> markup.
    expect(await result.textContent()).not.toContain('<@U_DEMO>');

    const thread = await c.openThread(result);
    await c.waitForThreadMessage(/Talking: caller/);
    await c.waitForThreadMessage(/Recording /);
    const talking = await waitForText(thread.getByTestId('message'), /Talking: caller/);
    expect(await talking.textContent()).toMatch(/call \d+-\d+/);
    await waitForText(result.getByTestId('reply-count'), /\d+ repl(y|ies)/);

    await c.screenshot('console.png');
    c.expectClean();
  });
});
