import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildConsoleBundle } from '../../local/console/bundle';
import { type LocalStack, startLocalStack } from '../../local/stack';
import { captureLogger } from '../helpers/log-capture';
import { startConsoleStack } from './console-helpers';

/** The page's DOM contract (/work/console-contract.md): every data-testid the browser tests use. */
const CONTRACT_TESTIDS = [
  'user-switcher',
  'tab-channel',
  'tab-home',
  'channel-view',
  'home-view',
  'composer',
  'composer-send',
  'autocomplete',
  'autocomplete-item',
  'message',
  'message-text',
  'block-button',
  'reply-count',
  'thread-pane',
  'thread-close',
  'confirm-dialog',
  'confirm-yes',
  'confirm-no',
  'modal',
  'modal-error',
  'modal-submit',
  'modal-close',
  'sim-panel',
  'agent-row',
  'agent-state',
  'agent-monitors',
  'start-call',
  'end-call',
  'raise-alert',
  'fault-kind',
  'fault-inject',
  'fault-clear',
  'sim-calls',
];

let stack: LocalStack;
beforeAll(async () => {
  stack = await startConsoleStack();
});
afterAll(async () => {
  await stack?.close();
});

describe('the console bundle', () => {
  it('builds in memory from local/console-ui: small JS and CSS, every contract data-testid in it', async () => {
    const bundle = await buildConsoleBundle();
    expect(bundle.js.length).toBeGreaterThan(1000);
    expect(bundle.css.length).toBeGreaterThan(500);
    // Vanilla TypeScript, minified: far below what a framework would weigh.
    expect(Buffer.byteLength(bundle.js)).toBeLessThan(80_000);
    for (const id of CONTRACT_TESTIDS) expect(bundle.js, id).toContain(`"${id}"`);
    expect(await stack.console?.bundle()).toBe(bundle); // built once per process
  });

  it('GET / redirects to /console/, which serves the page referencing the bundle', async () => {
    const root = await fetch(`${stack.url}/`, { redirect: 'manual' });
    expect(root.status).toBe(302);
    expect(root.headers.get('location')).toBe('/console/');
    const bare = await fetch(`${stack.url}/console`, { redirect: 'manual' });
    expect(bare.status).toBe(301);

    const page = await fetch(`${stack.url}/console/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await page.text();
    expect(html).toContain('<script type="module" src="/console/app.js"></script>');
    expect(html).toContain('<link rel="stylesheet" href="/console/app.css">');

    const js = await fetch(`${stack.url}/console/app.js`);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await js.text()).toBe((await buildConsoleBundle()).js);
    const css = await fetch(`${stack.url}/console/app.css`);
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(await css.text()).toContain('.composer');
  });

  it('GET /console/api/state: users, channels, the manifest commands, /qc subcommands, fault presets, the simulator', async () => {
    const res = await fetch(`${stack.url}/console/api/state`);
    const state = (await res.json()) as Record<string, unknown>;
    expect(state.users).toEqual([
      expect.objectContaining({ id: 'U_DEMO', role: 'inspector', inspectorId: '1001', dm: 'D_DEMO' }),
      expect.objectContaining({ id: 'U_DEMO2', role: 'inspector', inspectorId: '1003' }),
      expect.objectContaining({ id: 'U_ADMIN', role: 'admin' }),
      expect.objectContaining({ id: 'U_STRANGER', role: 'unlinked' }),
    ]);
    expect(state.channels).toEqual([{ id: 'C_QC', name: 'qc-floor' }]);
    expect((state.commands as { command: string }[]).map((c) => c.command)).toEqual(['/intercept', '/qc']);
    const subs = (state.subcommands as { name: string; usage: string }[]).map((s) => s.name);
    expect(subs).toEqual(
      expect.arrayContaining(['help', 'signin', 'listen', 'intercept', 'switch', 'who', 'audit', 'link']),
    );
    expect((state.faultPresets as { kind: string }[]).map((f) => f.kind)).toEqual([
      'down',
      '900-003',
      'slow',
    ]);
    expect((state.sim as { agents: unknown[] }).agents.length).toBeGreaterThan(20);
    expect(state).toMatchObject({ messages: [], views: [], homes: {}, files: [] });
  });

  it('with console: false (and in Socket Mode) there is no console: / answers the text, /console/ is 404', async () => {
    const plain = await startLocalStack({ console: false, logger: captureLogger() });
    try {
      expect(plain.console).toBeUndefined();
      const root = await fetch(`${plain.url}/`, { redirect: 'manual' });
      expect(root.status).toBe(200);
      expect(await root.text()).toMatch(/^qc-slack local stack: POST \/slack\/events/);
      expect((await fetch(`${plain.url}/console/`)).status).toBe(404);
      expect((await fetch(`${plain.url}/healthz`)).status).toBe(200);
    } finally {
      await plain.close();
    }
  });
});
