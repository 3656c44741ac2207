import { afterAll, beforeAll, expect, it } from 'vitest';
import { type ConsoleHarness, describeBrowser, startConsole, waitForText } from './harness';

/** Scenario e: the sign-in modal's validation errors, shown under the field as Slack does. */
describeBrowser('browser console: sign-in modal errors', () => {
  let h: ConsoleHarness;
  beforeAll(async () => {
    h = await startConsole('modal');
  });
  afterAll(async () => {
    await h?.close();
  });

  it('empty, then wrong password → the error under the password field; the right one signs in', async () => {
    const c = h.console;
    await c.switchUser('U_DEMO');
    await c.send('/qc signin');
    await c.modal.waitFor();
    const password = c.modalInput('qc_password');
    const phone = c.modalInput('qc_phone');
    expect(await phone.inputValue()).toBe('70001');
    const error = c.modal.getByTestId('modal-error');

    /** The error sits under the password input, above the next field. */
    const expectUnderPassword = async () => {
      const [e, p, ph] = await Promise.all([
        error.boundingBox(),
        password.boundingBox(),
        phone.boundingBox(),
      ]);
      if (!e || !p || !ph) throw new Error('modal error or inputs not laid out');
      expect(e.y).toBeGreaterThanOrEqual(p.y + p.height - 1);
      expect(e.y).toBeLessThan(ph.y);
    };

    await c.tid('modal-submit').click();
    await waitForText(error, /Enter your CTI password/);
    await expectUnderPassword();

    await password.fill('not-the-password');
    await c.tid('modal-submit').click();
    await waitForText(error, /Wrong inspector ID or password/);
    expect(await error.count()).toBe(1);
    await expectUnderPassword();
    await waitForText(c.modal, /Sign in to the gateway/);

    await password.fill('simulator');
    await c.tid('modal-submit').click();
    await waitForText(c.modal, /Signed in as inspector 1001/);
    await error.waitFor({ state: 'detached' });
    c.expectClean();
  });
});
