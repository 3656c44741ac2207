import { afterAll, beforeAll, expect, it } from 'vitest';
import { type ConsoleHarness, describeBrowser, startConsole, waitForText } from './harness';
import { box, expectInside, focused, type PageElement, type PageGlobals, viewport } from './measure';

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

  it('the modal body has room for the focus ring and scrolls when the window is short (800×360)', async () => {
    const c = h.console;
    await c.switchUser('U_DEMO2');
    await c.send('/qc signin');
    await c.modal.waitFor();
    const body = c.modal.locator('.modal-body');
    const password = c.modalInput('qc_password');
    expect(await focused(c.page)).toBe('qc_password');
    // The focus ring (3 px outline, 2 px offset) drawn around the input stays inside the body.
    const ring = await password.evaluate((node) => {
      const s = (globalThis as unknown as PageGlobals).getComputedStyle(node as unknown as PageElement);
      return Number.parseFloat(s.outlineWidth) + Number.parseFloat(s.outlineOffset);
    });
    expect(ring).toBeGreaterThan(0);
    const [b, p] = [await box(body), await box(password)];
    expectInside(
      { x: p.x - ring, y: p.y - ring, width: p.width + 2 * ring, height: p.height + 2 * ring },
      b,
      'focus ring',
    );
    expect(p.x - b.x, 'space left of the input').toBeGreaterThanOrEqual(12);

    await c.page.setViewportSize({ width: 800, height: 360 });
    const scroll = await body.evaluate((node) => {
      const el = node as unknown as PageElement;
      return {
        overflowY: (globalThis as unknown as PageGlobals).getComputedStyle(el).overflowY,
        scrollHeight: el.scrollHeight,
        clientHeight: el.clientHeight,
      };
    });
    expect(scroll.overflowY).toBe('auto');
    expect(scroll.scrollHeight).toBeGreaterThan(scroll.clientHeight);
    const view = await viewport(c.page);
    expectInside(await box(c.tid('modal-submit')), view, 'Sign in button');
    expectInside(await box(c.tid('modal-close')), view, 'Cancel button');
    await c.page.keyboard.press('Escape');
    await c.modal.waitFor({ state: 'detached' });
    c.expectClean();
  });
});
