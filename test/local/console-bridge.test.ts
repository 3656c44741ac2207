import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findButton, SlackBridge } from '../../local/console/slack-bridge';
import type { StoredMessage } from '../../local/slack-api/index';
import { slackSignature } from '../../local/slack-sign';
import { DEMO_USERS, LOCAL_ALERTS_SECRET, LOCAL_SIGNING_SECRET, type LocalStack } from '../../local/stack';
import { verifyAlertSignature } from '../../src/alerts/signature';
import { buttonsOf } from '../e2e/driver';
import { bridge, signInViaBridge, startConsoleStack } from './console-helpers';

let stack: LocalStack;
beforeAll(async () => {
  stack = await startConsoleStack();
});
afterAll(async () => {
  await stack?.close();
});

const text = (m: StoredMessage) => m.text ?? '';

describe('the signing bridge: requests signed exactly as Slack signs them', () => {
  it('a command, a click and an alert carry valid signatures over the exact bytes sent', async () => {
    const seen: { url: string; headers: IncomingMessage['headers']; body: string }[] = [];
    const capture = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        seen.push({ url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        res.writeHead(200).end('');
      });
    });
    await new Promise<void>((r) => capture.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(capture.address() as AddressInfo).port}`;
      const users = DEMO_USERS.map((u) => ({
        id: u.id,
        name: u.name,
        realName: u.realName,
        role: 'unlinked' as const,
        dm: `D${u.id.slice(1)}`,
      }));
      const spy = new SlackBridge({
        url,
        slack: stack.slack,
        signingSecret: LOCAL_SIGNING_SECRET,
        alertsSecret: LOCAL_ALERTS_SECRET,
        teamId: 'T_LOCAL',
        users,
        channels: [{ id: 'C_QC', name: 'qc-floor' }],
      });
      await spy.command('U_DEMO', 'C_QC', '/qc listen 2005');
      await spy.homeOpened('U_DEMO2');
      await spy.alert({ channel: 'C_QC', agentId: '2005', reason: 'why' });

      const [command, home, alert] = seen;
      for (const req of [command, home]) {
        const ts = Number(req?.headers['x-slack-request-timestamp']);
        expect(Math.abs(ts - Date.now() / 1000)).toBeLessThan(5);
        expect(req?.url).toBe('/slack/events');
        expect(req?.headers['x-slack-signature']).toBe(
          slackSignature(LOCAL_SIGNING_SECRET, ts, req?.body ?? ''),
        );
      }
      const form = new URLSearchParams(command?.body);
      expect(command?.headers['content-type']).toBe('application/x-www-form-urlencoded');
      expect(Object.fromEntries(form)).toMatchObject({
        command: '/qc',
        text: 'listen 2005',
        user_id: 'U_DEMO',
        user_name: 'demo',
        channel_id: 'C_QC',
        channel_name: 'qc-floor',
        team_id: 'T_LOCAL',
      });
      expect(form.get('response_url')).toMatch(/\/response\//);
      expect(form.get('trigger_id')).toMatch(/^\d+\.\d+\.[0-9a-f]{32}$/);
      expect(home?.headers['content-type']).toBe('application/json');
      expect(JSON.parse(home?.body ?? '{}')).toMatchObject({
        type: 'event_callback',
        event: { type: 'app_home_opened', user: 'U_DEMO2', tab: 'home', channel: 'D_DEMO2' },
      });
      expect(alert?.url).toBe('/alerts');
      expect(
        verifyAlertSignature({
          secret: LOCAL_ALERTS_SECRET,
          timestamp: alert?.headers['x-qc-timestamp'] as string,
          signature: alert?.headers['x-qc-signature'] as string,
          body: alert?.body ?? '',
          nowMs: Date.now(),
        }),
      ).toEqual({ ok: true });
    } finally {
      await new Promise<void>((r) => capture.close(() => r()));
    }
  });
});

describe('each route drives the real handlers', () => {
  it('POST /command: the ack is shown only to the user, in the channel, like Slack', async () => {
    const before = stack.slack.store.messages.length;
    const res = await bridge(stack, 'command', { user: 'U_DEMO', channel: 'C_QC', text: '/qc help' });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ ok: true, status: 200, ack: { response_type: 'ephemeral' } });
    const shown = stack.slack.store.messages.slice(before);
    expect(shown).toHaveLength(1);
    expect(shown[0]).toMatchObject({ channel: 'C_QC', ephemeralTo: 'U_DEMO', ts: res.json.ts });
    expect(text(shown[0] as StoredMessage)).toMatch(/qc-slack help/);
  });

  it('POST /view: the sign-in modal answers errors per block, then updates; a command then reaches the gateway', async () => {
    const before = stack.slack.store.views.length;
    const ack = await bridge(stack, 'command', { user: 'U_DEMO', channel: 'C_QC', text: '/qc signin' });
    expect(ack.json).toMatchObject({ status: 200, ack: null, ts: null }); // empty ack: nothing shown
    const view = await stack.slack.store.waitFor((s) =>
      s.views.slice(before).find((v) => v.user === 'U_DEMO'),
    );

    const empty = await bridge(stack, 'view', {
      user: 'U_DEMO',
      viewId: view.id,
      values: { qc_password: { password_input: '' } },
    });
    expect(empty.json).toMatchObject({
      status: 200,
      response_action: 'errors',
      errors: { qc_password: 'Enter your CTI password.' },
    });
    const ok = await bridge(stack, 'view', {
      user: 'U_DEMO',
      viewId: view.id,
      values: { qc_password: { password_input: 'simulator' } },
    });
    expect(ok.json).toMatchObject({ status: 200, response_action: 'update', viewId: view.id });
    const updated = stack.slack.store.views.find((v) => v.id === view.id);
    expect(JSON.stringify(updated?.view.blocks)).toMatch(/Signed in as inspector \*1001\*/);
    expect(JSON.stringify(stack.slack.store.views)).not.toContain('simulator"');

    const closed = await bridge(stack, 'view-close', { user: 'U_DEMO', viewId: view.id });
    expect(closed.json).toMatchObject({ ok: true, notified: false });
    expect(stack.slack.store.views.find((v) => v.id === view.id)?.closedAt).toBeTypeOf('number');

    const listen = await bridge(stack, 'command', {
      user: 'U_DEMO',
      channel: 'C_QC',
      text: '/qc listen 2005',
    });
    expect(listen.status).toBe(200);
    const result = await stack.slack.store.waitFor((s) =>
      s.channelMessages('C_QC').find((m) => /Listening to agent 2005/.test(text(m))),
    );
    await stack.slack.store.waitFor((s) => s.thread('C_QC', result.ts).length > 0);
    expect(stack.sim?.sim.agent('2005')?.monitoredBy).toEqual([{ inspector: '1001', mode: 'listen' }]);
  });

  it('POST /alert posts a real signed alert; POST /action clicks its Listen button', async () => {
    await signInViaBridge(stack, 'U_DEMO2');
    const res = await bridge(stack, 'alert', {
      channel: 'C_QC',
      agentId: '2006',
      reason: 'Customer asked for a supervisor',
      severity: 'critical',
    });
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({ ok: true, channel: 'C_QC' });
    const alert = await stack.slack.store.waitFor((s) =>
      s.channelMessages('C_QC').find((m) => m.ts === res.json.ts),
    );
    // The bridge names the agent's current call, as a monitoring system would.
    expect(JSON.stringify(alert.blocks)).toMatch(/\*Call:\* \d+-\d+/);
    const listen = buttonsOf(alert.blocks).find((b) => b.value.startsWith('listen:'));
    expect(listen).toBeDefined();
    const click = await bridge(stack, 'action', {
      user: 'U_DEMO2',
      channel: 'C_QC',
      messageTs: alert.ts,
      actionId: listen?.action_id,
      value: listen?.value,
    });
    expect(click.json).toMatchObject({ ok: true, status: 200 });
    await stack.slack.store.waitFor((s) =>
      s.thread('C_QC', alert.ts).some((m) => /Listening to agent 2006/.test(text(m))),
    );
    // chat.update keeps the alert current: edited in place.
    await stack.slack.store.waitFor((s) => (s.message('C_QC', alert.ts)?.edits ?? 0) > 0);
  });

  it('POST /home publishes the Home tab; a Home button (viewId, no channel) opens the sign-in modal', async () => {
    const user = 'U_ADMIN';
    const res = await bridge(stack, 'home', { user });
    expect(res.json).toMatchObject({ ok: true, status: 200 });
    const home = await stack.slack.store.waitFor((s) => s.homeViews.get(user));
    expect(JSON.stringify(home.view.blocks)).toMatch(/not linked/i);

    const linked = 'U_DEMO2'; // listening to 2006 since the alert test: stop, then sign out
    await bridge(stack, 'command', { user: linked, channel: 'C_QC', text: '/qc stop 2006' });
    await stack.slack.store.waitFor(() => stack.sim?.sim.agent('1003')?.monitoring === null);
    await bridge(stack, 'command', { user: linked, channel: 'C_QC', text: '/qc signout' });
    await stack.slack.store.waitFor(() => stack.sim?.sim.agent('1003')?.signedIn === false);
    await bridge(stack, 'home', { user: linked });
    const signedOutHome = await stack.slack.store.waitFor((s) => {
      const v = s.homeViews.get(linked);
      return v && buttonsOf(v.view.blocks).some((b) => b.action_id.startsWith('qc_open_signin'))
        ? v
        : undefined;
    });
    const signIn = buttonsOf(signedOutHome.view.blocks).find((b) => b.action_id.startsWith('qc_open_signin'));
    const before = stack.slack.store.views.length;
    const click = await bridge(stack, 'action', {
      user: linked,
      viewId: signedOutHome.id,
      actionId: signIn?.action_id,
      value: signIn?.value,
    });
    expect(click.json).toMatchObject({ ok: true, status: 200 });
    const modal = await stack.slack.store.waitFor((s) =>
      s.views.slice(before).find((v) => v.user === linked),
    );
    expect((modal.view.title as { text: string }).text).toBe('Sign in to the gateway');
  });

  it('GET /files/<id> downloads a file the app sent (the audit export in the DM)', async () => {
    await bridge(stack, 'command', { user: 'U_DEMO', channel: 'C_QC', text: '/qc audit export' });
    const file = await stack.slack.store.waitFor((s) => s.filesIn('D_DEMO').at(-1));
    const state = await bridge(stack, 'state');
    const listed = (state.json.files as { id: string; url: string }[]).find((f) => f.id === file.id);
    expect(listed?.url).toBe(`/console/api/files/${file.id}`);
    const res = await fetch(`${stack.url}${listed?.url}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="qc-audit-[\w.-]+\.csv"$/);
    expect(Buffer.from(await res.arrayBuffer())).toEqual(file.bytes);
  });

  it('POST/DELETE /sim/*: calls start and end; a fault preset makes QC calls fail visibly; clear recovers', async () => {
    const start = await bridge(stack, 'sim/call', { agentId: '2001', action: 'start' });
    expect(start.json).toMatchObject({ ok: true, callId: expect.stringMatching(/^\d+-\d+$/) });
    expect(stack.sim?.sim.agent('2001')?.callId).toBe(start.json.callId);
    const end = await bridge(stack, 'sim/call', { agentId: '2001', action: 'end' });
    expect(end.json.ok).toBe(true);
    expect(stack.sim?.sim.agent('2001')?.callId).toBeNull();

    const fault = await bridge(stack, 'sim/fault', { kind: '900-003' });
    expect(fault.json).toMatchObject({ ok: true, kind: '900-003', injected: 12 });
    await bridge(stack, 'command', { user: 'U_DEMO', channel: 'C_QC', text: '/qc whisper 2005' });
    await stack.slack.store.waitFor((s) =>
      s
        .channelMessages('C_QC')
        .find((m) => /could not \*whisper to agent 2005\*[\s\S]*900-003/.test(JSON.stringify(m.blocks))),
    );
    // Sign-in and the event polls are spared: the session is still there.
    expect(stack.sim?.sim.agent('1001')?.signedIn).toBe(true);

    const cleared = await bridge(stack, 'sim/fault', undefined, 'DELETE');
    expect(cleared.json.ok).toBe(true);
    expect(stack.sim?.sim.faults.list()).toEqual([]);

    await bridge(stack, 'sim/fault', { kind: 'down' });
    await bridge(stack, 'command', { user: 'U_DEMO', channel: 'C_QC', text: '/qc insert 2005' });
    await stack.slack.store.waitFor(
      (s) =>
        s
          .channelMessages('C_QC')
          .find((m) =>
            /insert into the call of agent 2005\* — The connection to the gateway broke/.test(
              JSON.stringify(m.blocks),
            ),
          ),
      10_000,
    );
    await bridge(stack, 'sim/fault', undefined, 'DELETE');
    expect(stack.sim?.sim.agent('1001')?.signedIn).toBe(true);
  });

  it('POST /sim/traffic: the panel switches traffic on and off and sets calls a minute; bad values are named', async () => {
    const sim = stack.sim?.sim;
    if (!sim) throw new Error('no simulator');
    const state = await bridge(stack, 'state');
    expect((state.json.sim as { traffic: { on: boolean } }).traffic.on).toBe(false);
    const on = await bridge(stack, 'sim/traffic', { on: true, callsPerMinute: 30 });
    expect(on.json).toMatchObject({ ok: true, traffic: { on: true, callsPerMinute: 30 } });
    expect((on.json.sim as { traffic: { on: boolean } }).traffic.on).toBe(true);
    expect(sim.traffic.status()).toMatchObject({ on: true, callsPerMinute: 30 });
    const bad = await bridge(stack, 'sim/traffic', { callsPerMinute: -1 });
    expect(bad.status).toBe(400);
    expect(bad.json.error).toMatch(/^callsPerMinute: expected a number from/);
    const notBool = await bridge(stack, 'sim/traffic', { on: 'yes' });
    expect(notBool.json.error).toBe('on: expected true or false');
    const off = await bridge(stack, 'sim/traffic', { on: false });
    expect(off.json).toMatchObject({ ok: true, traffic: { on: false, callsPerMinute: 30 } });
    expect(sim.traffic.status().on).toBe(false);
  });
});

describe('finding the clicked button', () => {
  it('action_ids are unique per block, not per message: the value picks the row (a floor has one actions block per agent)', () => {
    const row = (agent: string) => ({
      type: 'actions',
      block_id: `floor_${agent}`,
      elements: [
        { type: 'button', action_id: 'qc_floor_takeover:2', value: agent, text: { text: 'Take over' } },
      ],
    });
    const blocks = [row('2005'), row('2006')];
    expect(findButton(blocks, 'qc_floor_takeover:2', '2006')).toMatchObject({
      value: '2006',
      blockId: 'floor_2006',
    });
    expect(findButton(blocks, 'qc_floor_takeover:2', '2005')).toMatchObject({
      value: '2005',
      blockId: 'floor_2005',
    });
    expect(() => findButton(blocks, 'qc_floor_takeover:2', '2007')).toThrow(
      /the button qc_floor_takeover:2 carries "2005", not "2007"/,
    );
  });
});
