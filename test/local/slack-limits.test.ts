/**
 * The local Slack API refuses what Slack refuses (the limits in src/slack/blocks/limits.ts), with Slack's
 * error names: context texts, confirmation dialogs, input labels/hints/placeholders and lengths,
 * external_id, view size, the blocks' total text, ephemerals to someone not in the channel; and
 * `npm run slack` judges acks as the console does.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  commandAckFailure,
  createFakeSlack,
  type FakeSlack,
  viewAckFailure,
} from '../../local/slack-api/index';
import { newTriggerId } from '../../local/slack-sign';
import { type CliOptions, run } from '../../scripts/slack';
import { LIMITS } from '../../src/slack/blocks/limits';
import { errorOf, useFakeSlack } from '../helpers/fake-slack';

const env = useFakeSlack({
  botToken: 'xoxb-limits',
  users: [
    { id: 'U_DEMO', name: 'demo' },
    { id: 'U_OTHER', name: 'other' },
  ],
  channels: [
    { id: 'C_QC', name: 'qc' },
    { id: 'C_SMALL', name: 'small', members: ['U_DEMO'] },
  ],
});

const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });
const button = (extra: Record<string, unknown>) => ({
  type: 'actions',
  elements: [
    { type: 'button', action_id: 'a', text: { type: 'plain_text', text: 'Go' }, value: 'v', ...extra },
  ],
});
const plain = (text: string) => ({ type: 'plain_text', text });
const confirm = {
  title: plain('Sure?'),
  text: { type: 'mrkdwn', text: 'Really.' },
  confirm: plain('Yes'),
  deny: plain('No'),
};

/** Slack's error code, or 'ok' when the call worked. */
async function outcome(call: Promise<unknown>): Promise<string> {
  try {
    await call;
    return 'ok';
  } catch (err) {
    return errorOf(Promise.reject(err));
  }
}

const post = (blocks: unknown[]) =>
  outcome(env.client.apiCall('chat.postMessage', { channel: 'C_QC', text: 'fallback', blocks }));

describe('messages', () => {
  it.each([
    [
      'a context text over 2,000',
      [{ type: 'context', elements: [{ type: 'mrkdwn', text: 'x'.repeat(2001) }] }],
    ],
    ['a confirm title over 100', [button({ confirm: { ...confirm, title: plain('x'.repeat(101)) } })]],
    [
      'a confirm text over 300',
      [button({ confirm: { ...confirm, text: { type: 'mrkdwn', text: 'x'.repeat(301) } } })],
    ],
    ['a confirm button over 30', [button({ confirm: { ...confirm, confirm: plain('x'.repeat(31)) } })]],
    ['a confirm without deny', [button({ confirm: { ...confirm, deny: undefined } })]],
    ['a button text over 75', [button({ text: plain('x'.repeat(76)) })]],
  ])('%s → invalid_blocks', async (_what, blocks) => {
    expect(await post(blocks)).toBe('invalid_blocks');
  });

  it('the blocks’ texts past 10,000 characters together → msg_blocks_too_long; up to it → posted', async () => {
    expect(await post([1, 2, 3, 4].map(() => section('x'.repeat(2900))))).toBe('msg_blocks_too_long');
    expect(await post([1, 2, 3].map(() => section('x'.repeat(2900))))).toBe('ok');
    expect(LIMITS.blocksText).toBe(10_000);
  });

  it('an ephemeral to someone not in the channel → user_not_in_channel; to a member → posted', async () => {
    const to = (user: string) =>
      outcome(env.client.chat.postEphemeral({ channel: 'C_SMALL', user, text: 'only you' }));
    expect(await to('U_OTHER')).toBe('user_not_in_channel');
    expect(await to('U_DEMO')).toBe('ok');
    expect(
      await outcome(env.client.chat.postEphemeral({ channel: 'C_QC', user: 'U_OTHER', text: 'x' })),
    ).toBe('ok');
  });
});

describe('views', () => {
  const input = (over: Record<string, unknown>, element: Record<string, unknown> = {}) => ({
    type: 'modal',
    title: plain('Sign in'),
    submit: plain('Sign in'),
    blocks: [
      {
        type: 'input',
        label: plain('Phone'),
        element: { type: 'plain_text_input', action_id: 'p', ...element },
        ...over,
      },
    ],
  });
  const open = (view: unknown) =>
    outcome(env.client.apiCall('views.open', { trigger_id: newTriggerId(), view }));

  it.each([
    ['a label over 2,000', input({ label: plain('x'.repeat(2001)) })],
    ['a hint over 2,000', input({ hint: plain('x'.repeat(2001)) })],
    ['a placeholder over 150', input({}, { placeholder: plain('x'.repeat(151)) })],
    ['max_length over 3,000', input({}, { max_length: 3001 })],
    ['max_length 0', input({}, { max_length: 0 })],
    [
      'an initial_value longer than max_length',
      input({}, { max_length: 24, initial_value: `+${'9'.repeat(24)}` }),
    ],
    ['an external_id over 255', { ...input({}), external_id: 'x'.repeat(256) }],
  ])('%s → invalid_arguments', async (_what, view) => {
    expect(await open(view)).toBe('invalid_arguments');
  });

  it('a view past the size bound → view_too_large', async () => {
    const blocks = Array.from({ length: 60 }, () => ({
      type: 'context',
      elements: Array.from({ length: 10 }, () => ({ type: 'mrkdwn', text: 'x'.repeat(200) })),
    }));
    expect(await open({ type: 'modal', title: plain('Big'), blocks })).toBe('view_too_large');
    expect(await open(input({}, { max_length: 25, initial_value: `+${'9'.repeat(24)}` }))).toBe('ok');
  });
});

describe('acks, judged once for the console and npm run slack', () => {
  it('a command ack Slack would refuse becomes Slackbot’s "failed with the error" notice', () => {
    const body = JSON.stringify({ text: 'hi', blocks: [section('x'.repeat(3001))] });
    expect(commandAckFailure('/qc', 200, body)).toMatch(/^\/qc failed with the error "invalid_blocks"/);
    expect(commandAckFailure('/qc', 200, JSON.stringify({ text: 'fine' }))).toBeUndefined();
    expect(commandAckFailure('/qc', 500, '')).toMatch(/dispatch_failed/);
  });

  it('a view_submission answer with a view Slack would refuse leaves the modal with Slack’s notice', () => {
    const view = { type: 'modal', title: plain('x'.repeat(25)), blocks: [] };
    expect(viewAckFailure(200, JSON.stringify({ response_action: 'update', view }))).toMatch(
      /trouble connecting/,
    );
    expect(viewAckFailure(200, '')).toBeUndefined();
  });

  describe('npm run slack', () => {
    let fake: FakeSlack;
    let server: Server;
    let url: string;
    beforeAll(async () => {
      fake = createFakeSlack({ botToken: 'xoxb-cli' });
      server = createServer(async (req, res) => {
        if (await fake.handle(req, res)) return;
        if (req.url === '/healthz') {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ service: 'qc-slack-local', mode: 'local', pendingJobs: 0 }));
          return;
        }
        // The app's ack: 51 blocks, which Slack refuses.
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            text: 'too many',
            blocks: Array.from({ length: 51 }, () => ({ type: 'divider' })),
          }),
        );
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      fake.setPublicBaseUrl(url);
    });
    afterAll(async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    });

    it('prints Slackbot’s notice for an ack Slack would refuse, as the console shows it', async () => {
      const opts: CliOptions = {
        command: '/qc',
        text: 'who',
        user: 'U_DEMO',
        channel: 'C_QC',
        team: 'T_LOCAL',
        urls: [url],
        secret: 'local-signing-secret',
        settle: 0,
        wait: 0,
        json: false,
      };
      const lines: string[] = [];
      expect(await run(opts, (l) => lines.push(l))).toBe(0);
      expect(lines.join('\n')).toContain('(only you) Slackbot: /qc failed with the error "invalid_blocks"');
    });
  });
});
