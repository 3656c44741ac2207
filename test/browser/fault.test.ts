import { afterAll, beforeAll, expect, it } from 'vitest';
import { type ConsoleHarness, describeBrowser, startConsole, waitForText } from './harness';

/** Scenario d: the gateway fails (faults injected from the call-centre panel) and recovers. */
describeBrowser('browser console: a gateway fault', () => {
  let h: ConsoleHarness;
  beforeAll(async () => {
    h = await startConsole('fault');
  });
  afterAll(async () => {
    await h?.close();
  });

  it('fault 900-003 → /qc listen 2005 fails clearly; clear → it works; gateway down → /qc stop fails clearly; clear → it works', async () => {
    const c = h.console;
    await c.signIn('U_DEMO');

    const panel = c.tid('sim-panel');
    await panel.getByTestId('fault-kind').selectOption('900-003');
    await c.clickAndWaitFor(panel.getByTestId('fault-inject'), 'POST', '/console/api/sim/fault');
    // The panel's active-fault summary says what was injected.
    await waitForText(panel.getByTestId('sim-faults'), /900-003/);

    await c.send('/qc listen 2005');
    const failure = await c.waitForChannelMessage(/could not listen to agent 2005/);
    expect(await failure.getAttribute('data-ephemeral')).not.toBe('true');
    await waitForText(failure, /900-003/);
    await waitForText(failure, /CTI platform resource is unavailable/);
    await waitForText(failure, /What to do:.*Try again in a minute/);
    expect(await failure.textContent()).not.toMatch(/<@U_|\*could not/);

    await c.clickAndWaitFor(panel.getByTestId('fault-clear'), 'DELETE', '/console/api/sim/fault');
    await panel
      .getByTestId('sim-faults')
      .filter({ hasText: /900-003/ })
      .waitFor({ state: 'detached' });
    await c.send('/qc listen 2005');
    await c.waitForChannelMessage(/Listening to agent 2005/);

    // Gateway down: the connection breaks; the channel says so and what to do.
    await panel.getByTestId('fault-kind').selectOption('down');
    await c.clickAndWaitFor(panel.getByTestId('fault-inject'), 'POST', '/console/api/sim/fault');
    await c.send('/qc stop 2005');
    const broken = await c.waitForChannelMessage(/connection to the gateway broke before it answered/);
    await waitForText(broken, /stop/i);
    await waitForText(broken, /What to do:/);
    await c.clickAndWaitFor(panel.getByTestId('fault-clear'), 'DELETE', '/console/api/sim/fault');
    await c.send('/qc stop 2005');
    await c.waitForChannelMessage(/Stopped monitoring/);
    c.expectClean();
  });
});
