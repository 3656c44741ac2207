import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StartedFakeSlack, startFakeSlack } from '../../local/slack-api/index';
import type { StoredMessage } from '../../local/slack-api/store';
import { slashCommandBody, viewSubmissionPayload } from '../../local/slack-sign';
import { main, type Started } from '../../local/start';

/**
 * `npm start` with SLACK_APP_TOKEN + SLACK_BOT_TOKEN — the README's way to try qc-slack in a real
 * workspace — against the local Slack API speaking Socket Mode (SLACK_API_URL points both the bot and the
 * socket at it): link, sign in through the modal, listen, intercept, result and thread, a refreshed
 * connection, and an Events API envelope. Only 127.0.0.1 is reached.
 */
const APP_TOKEN = 'xapp-1-local-socket-test';
const BOT_TOKEN = 'xoxb-local-socket-test';
const CHANNEL = 'C_QC';

let slack: StartedFakeSlack;
let started: Started;

beforeAll(async () => {
  slack = await startFakeSlack({
    botToken: BOT_TOKEN,
    appToken: APP_TOKEN,
    users: [
      { id: 'U_DEMO', name: 'demo', realName: 'Demo Supervisor' },
      { id: 'U_ADMIN', name: 'admin', realName: 'QC Admin', isAdmin: true },
    ],
    channels: [{ id: CHANNEL, name: 'qc-floor' }],
  });
  const out: string[] = [];
  const stackFile = join(mkdtempSync(join(tmpdir(), 'qc-socket-')), 'stack.json');
  const result = await main(
    ['--port', '0'],
    {
      SLACK_APP_TOKEN: APP_TOKEN,
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_API_URL: slack.apiUrl,
      QC_ADMIN_USER_IDS: 'U_ADMIN',
      LOG_LEVEL: 'silent',
    },
    { out: (l) => out.push(l), err: (l) => out.push(l), stackFile },
  );
  if (typeof result === 'number') throw new Error(`npm start failed (${result}): ${out.join('\n')}`);
  started = result;
  expect(out.join('\n')).toContain('qc-slack is up in Socket Mode');
  await slack.socketMode?.connected();
}, 60_000);

afterAll(async () => {
  await started?.stop();
  await slack?.close();
});

function socket() {
  const s = slack.socketMode;
  if (!s) throw new Error('the local Slack API runs without Socket Mode');
  return s;
}

/** A slash command as a `slash_commands` envelope (the same fields Slack posts over HTTP). */
function command(line: string, user: string, triggerId?: string) {
  const [cmd = '', ...rest] = line.split(' ');
  const fields = new URLSearchParams(
    slashCommandBody({
      command: cmd,
      text: rest.join(' '),
      userId: user,
      channelId: CHANNEL,
      channelName: 'qc-floor',
      responseUrl: slack.newResponseUrl({ channel: CHANNEL, user }),
      triggerId: triggerId ?? slack.newTriggerId({ user, channel: CHANNEL }),
    }),
  );
  return socket().send('slash_commands', Object.fromEntries(fields));
}

const textOf = (m: StoredMessage) => m.text ?? '';
const channelMessage = (match: RegExp) =>
  slack.store.waitFor((s) => s.channelMessages(CHANNEL).find((m) => match.test(textOf(m))), 15_000);
const threadReply = (parent: StoredMessage, match: RegExp) =>
  slack.store.waitFor((s) => s.thread(parent.channel, parent.ts).find((m) => match.test(textOf(m))), 15_000);

describe('npm start in Socket Mode, against the local Slack API', () => {
  it('connects with apps.connections.open and the hello, and refuses a bot token for the socket', async () => {
    expect(socket().connections).toBeGreaterThanOrEqual(1);
    const res = await fetch(`${slack.apiUrl}apps.connections.open`, {
      method: 'POST',
      headers: { authorization: `Bearer ${BOT_TOKEN}` },
    });
    expect(await res.json()).toEqual({ ok: false, error: 'not_allowed_token_type' });
  });

  it('link, sign in through the modal, listen, intercept: results in the channel, events in their threads', async () => {
    const link = await command('/qc link <@U_DEMO|demo> 1001 70001', 'U_ADMIN');
    expect(link.envelopeId).toBeTruthy(); // acked over the socket
    await slack.store.waitFor((s) =>
      s.ephemeralFor('U_ADMIN').find((m) => /Linked <@U_DEMO>/.test(textOf(m))),
    );

    const views = slack.store.views.length;
    await command('/qc signin', 'U_DEMO');
    const modal = await slack.store.waitFor((s) => s.views.slice(views).find((v) => v.user === 'U_DEMO'));
    const submitted = await socket().send(
      'interactive',
      viewSubmissionPayload({
        userId: 'U_DEMO',
        teamId: 'T_LOCAL',
        view: {
          ...modal.view,
          id: modal.id,
          state: {
            values: { qc_password: { password_input: { type: 'plain_text_input', value: 'simulator' } } },
          },
        },
      }),
    );
    expect(JSON.stringify(submitted.payload)).toMatch(/Signed in as inspector \*1001\*/);

    const ack = await command('/qc listen 2005', 'U_DEMO');
    expect(JSON.stringify(ack.payload)).toMatch(/Listening to 2005/);
    const listened = await channelMessage(/Listening to agent 2005/);
    await threadReply(listened, /Phone answered: you are listening to 2005/);

    await command('/intercept 2005', 'U_DEMO');
    const result = await channelMessage(/Intercepted the call of agent 2005/);
    expect(textOf(result)).toMatch(/Retcode 0/);
    await threadReply(result, /Talking: caller/);
    await threadReply(result, /Recording /);
  }, 60_000);

  it('a refresh (disconnect: refresh_requested) reconnects, and the next envelope is answered', async () => {
    await socket().refresh();
    const ack = await command('/qc status', 'U_DEMO');
    expect(ack.envelopeId).toBeTruthy();
    await slack.store.waitFor((s) => s.ephemeralFor('U_DEMO').find((m) => /Inspector: 1001/.test(textOf(m))));
  });

  it('an events_api envelope (app_home_opened) draws the Home tab', async () => {
    await socket().send('events_api', {
      token: 'unused',
      team_id: 'T_LOCAL',
      api_app_id: 'A_QCSLACK',
      type: 'event_callback',
      event_id: 'Ev_SOCKET_1',
      event_time: Math.floor(Date.now() / 1000),
      event: { type: 'app_home_opened', user: 'U_DEMO', channel: 'D_U_DEMO', tab: 'home' },
    });
    const home = await slack.store.waitFor((s) => s.homeViews.get('U_DEMO'), 15_000);
    expect(JSON.stringify(home.view)).toMatch(/1001/);
  });
});
