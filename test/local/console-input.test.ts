import { request } from 'node:http';
import { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../local/stack';
import { bridge, startConsoleStack } from './console-helpers';

let stack: LocalStack;
beforeAll(async () => {
  stack = await startConsoleStack();
});
afterAll(async () => {
  await stack?.close();
});

/** Every refusal is JSON {ok: false, error} with words that say what to fix; nothing reaches the app. */
async function refused(path: string, body: unknown, status: number, words: RegExp, method?: string) {
  const calls = stack.slack.store.calls.length;
  const messages = stack.slack.store.messages.length;
  const res = await bridge(stack, path, body, method);
  expect(res.status, JSON.stringify(res.json)).toBe(status);
  expect(res.json.ok).toBe(false);
  expect(res.json.error).toMatch(words);
  expect(stack.slack.store.calls.length).toBe(calls);
  expect(stack.slack.store.messages.length).toBe(messages);
}

describe('forged or invalid bridge input: 4xx with words', () => {
  it('bodies that are not JSON objects', async () => {
    await refused('command', '{"user":', 400, /not valid JSON/);
    await refused('command', '[1,2]', 400, /must be a JSON object/);
    await refused('command', {}, 400, /^user: expected a non-empty string$/);
  });

  it('commands: unknown users and channels, text that is not one of the app’s slash commands', async () => {
    await refused(
      'command',
      { user: 'U_EVIL', channel: 'C_QC', text: '/qc help' },
      400,
      /unknown user "U_EVIL"; the console knows U_DEMO, U_DEMO2, U_ADMIN, U_STRANGER/,
    );
    await refused(
      'command',
      { user: 'U_DEMO', channel: 'C_OTHER', text: '/qc help' },
      400,
      /unknown channel "C_OTHER"; use C_QC, D_DEMO/,
    );
    await refused('command', { user: 'U_DEMO', channel: 'C_QC', text: 'hello' }, 400, /slash commands only/);
    await refused(
      'command',
      { user: 'U_DEMO', channel: 'C_QC', text: '/deploy prod' },
      400,
      /\/deploy is not a valid command of this app \(it has \/intercept, \/qc\)/,
    );
    await refused(
      'command',
      { user: 'U_DEMO', channel: 'C_QC', text: 42 },
      400,
      /text: expected a non-empty string/,
    );
  });

  it('clicks: a button the message does not have, a forged value, someone else’s ephemeral, an unknown message', async () => {
    const ask = await bridge(stack, 'command', {
      user: 'U_DEMO',
      channel: 'C_QC',
      text: '/qc force-busy 2005',
    }); // asks to confirm: buttons
    const ts = ask.json.ts as string;
    const shown = stack.slack.store.message('C_QC', ts);
    const button = JSON.stringify(shown?.blocks).match(/"action_id":"([^"]+)"/)?.[1];
    expect(button).toBeDefined();
    await refused(
      'action',
      { user: 'U_DEMO', channel: 'C_QC', messageTs: ts, actionId: 'qc_admin_grant' },
      400,
      /no button "qc_admin_grant" there \(buttons: /,
    );
    await refused(
      'action',
      { user: 'U_DEMO', channel: 'C_QC', messageTs: ts, actionId: button, value: 'force-signout:2005' },
      400,
      /^value: the button .* carries ".*", not "force-signout:2005"$/,
    );
    await refused(
      'action',
      { user: 'U_DEMO2', channel: 'C_QC', messageTs: ts, actionId: button },
      400,
      /only visible to U_DEMO/,
    );
    await refused(
      'action',
      { user: 'U_DEMO', channel: 'C_QC', messageTs: '1.000001', actionId: 'x' },
      404,
      /no message 1.000001 in C_QC/,
    );
    await refused(
      'action',
      { user: 'U_DEMO', actionId: 'x' },
      400,
      /give channel and messageTs .* or viewId/,
    );
  });

  it('modals: someone else’s, a closed one, inputs the modal does not have', async () => {
    const before = stack.slack.store.views.length;
    await bridge(stack, 'command', { user: 'U_DEMO', channel: 'C_QC', text: '/qc signin' });
    const view = await stack.slack.store.waitFor((s) =>
      s.views.slice(before).find((v) => v.user === 'U_DEMO'),
    );
    await refused(
      'view',
      { user: 'U_DEMO2', viewId: view.id, values: {} },
      400,
      new RegExp(`view ${view.id} was not opened for U_DEMO2`),
    );
    await refused(
      'view',
      { user: 'U_DEMO', viewId: view.id, values: { qc_admin: { x: 'y' } } },
      400,
      /values.qc_admin.x: the modal has no such input/,
    );
    await refused(
      'view',
      { user: 'U_DEMO', viewId: view.id, values: { qc_password: { password_input: 5 } } },
      400,
      /expected a string/,
    );
    await refused('view', { user: 'U_DEMO', viewId: view.id, values: 'simulator' }, 400, /values: expected/);
    await refused('view', { user: 'U_DEMO', viewId: 'V_NOPE', values: {} }, 404, /no view "V_NOPE"/);
    await bridge(stack, 'view-close', { user: 'U_DEMO', viewId: view.id });
    await refused('view', { user: 'U_DEMO', viewId: view.id, values: {} }, 400, /is closed/);
    await refused('view-close', { user: 'U_DEMO', viewId: view.id }, 400, /is closed/);
  });

  it('alerts: the real endpoint’s refusal comes back with its words', async () => {
    const res = await bridge(stack, 'alert', { channel: 'C_QC', agentId: 'abc', reason: 'x' });
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ ok: false, status: 400 });
    expect(JSON.stringify(res.json)).toMatch(/agentId/);
    await refused('alert', { channel: 'C_QC', reason: 'x' }, 400, /agentId: expected the agent ID/);
  });

  it('simulator: unknown agents, impossible calls, unknown fault kinds and interfaces', async () => {
    await refused('sim/call', { agentId: '9999', action: 'start' }, 404, /unknown agent "9999"/);
    await refused('sim/call', { agentId: '2005', action: 'start' }, 400, /agent 2005 is already on call/);
    await refused('sim/call', { agentId: '2001', action: 'end' }, 400, /agent 2001 is not on a call/);
    await refused(
      'sim/call',
      { agentId: '2001', action: 'explode' },
      400,
      /action: expected one of start, end/,
    );
    await refused('sim/fault', { kind: 'meteor' }, 400, /kind: expected one of down, 900-003, slow/);
    await refused(
      'sim/fault',
      { kind: 'down', interface: 'rm -rf' },
      400,
      /interface: expected a gateway log name/,
    );
    expect(stack.sim?.sim.faults.list()).toEqual([]);
  });

  it('only this page may call the bridge: JSON only, no foreign Origin, a loopback Host', async () => {
    const form = await fetch(`${stack.url}/console/api/command`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({ user: 'U_DEMO', channel: 'C_QC', text: '/qc signout' }),
    });
    expect(form.status).toBe(415);
    expect(await form.json()).toEqual({
      ok: false,
      error: 'send the body as JSON with content-type: application/json (got "text/plain")',
    });
    const foreign = await fetch(`${stack.url}/console/api/state`, {
      headers: { origin: 'https://evil.example' },
    });
    expect(foreign.status).toBe(403);
    expect(((await foreign.json()) as { error: string }).error).toMatch(
      /requests from "https:\/\/evil.example" are not allowed/,
    );
    const { port } = new URL(stack.url);
    const rebound = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port, path: '/console/api/state', headers: { host: `evil.example:${port}` } },
        (res) => {
          let body = '';
          res.on('data', (c: Buffer) => {
            body += c.toString();
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(rebound.status).toBe(403);
    expect(rebound.body).toMatch(/127.0.0.1 \/ localhost only/);
    const same = await fetch(`${stack.url}/console/api/state`, { headers: { origin: stack.url } });
    expect(same.status).toBe(200);
  });

  it('routes: unknown paths 404, wrong methods 405 with Allow', async () => {
    await refused('nope', undefined, 404, /no console route GET \/console\/api\/nope/);
    const res = await fetch(`${stack.url}/console/api/command`);
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST');
    expect(await res.json()).toEqual({
      ok: false,
      error: 'GET is not allowed on /console/api/command (use POST)',
    });
    await refused('files/F_NOPE', undefined, 404, /no file "F_NOPE"/);
  });
});

describe('a stale screen', () => {
  it('a click on a button an earlier version of the message had is delivered, as Slack does', async () => {
    const posted = await bridge(stack, 'alert', { channel: 'C_QC', agentId: '2005', reason: 'stale screen' });
    expect(posted.status).toBe(201);
    const alert = stack.slack.store.channelMessages('C_QC').find((m) => /stale screen/.test(m.text ?? ''));
    if (!alert) throw new Error('alert not posted');
    const buttons = (alert.blocks ?? []).flatMap(
      (b) => (b as { elements?: Array<{ action_id?: string; value?: string }> }).elements ?? [],
    );
    const button = buttons.find((e) => e.value?.startsWith('listen:'));
    expect(button).toBeDefined();
    // The app edits the message (here: every button gone), but the user's screen still shows Listen.
    const web = new WebClient('xoxb-local-qc-slack', { slackApiUrl: `${stack.url}/api/` });
    await web.chat.update({ channel: 'C_QC', ts: alert.ts, text: 'edited', blocks: [] });
    const click = await bridge(stack, 'action', {
      user: 'U_STRANGER',
      channel: 'C_QC',
      messageTs: alert.ts,
      actionId: button?.action_id,
      value: button?.value,
    });
    expect(click.status, JSON.stringify(click.json)).toBe(200);
    // Delivered to the app, which answers the unlinked clicker in words.
    await stack.slack.store.waitFor((s) =>
      s.ephemeralFor('U_STRANGER').find((m) => /not linked/.test(m.text ?? '')),
    );
  });
});
