import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, AwsLambdaReceiver, LogLevel } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFakeSlack, type FakeSlack, type StoredView } from '../../local/slack-api/index';
import { apiGatewayEvent } from '../../local/slack-sign';
import {
  type CliOptions,
  fillModal,
  formatAck,
  formatMessage,
  LOCAL_DEFAULT_SECRET,
  type LocalMessage,
  locateStack,
  parseCliArgs,
  pickModal,
  run,
  USAGE,
} from '../../scripts/slack';

describe('parseCliArgs', () => {
  it('splits the command and applies the defaults', () => {
    expect(parseCliArgs(['/intercept 2005'], {})).toEqual({
      command: '/intercept',
      text: '2005',
      user: 'U_DEMO',
      channel: 'C_QC',
      team: 'T_LOCAL',
      urls: ['http://127.0.0.1:3000'],
      secret: LOCAL_DEFAULT_SECRET,
      settle: 1.5,
      wait: 30,
      json: false,
    });
  });

  it('finds the stack: --url, else --port, else the URL npm start recorded, then $PORT or 3000', () => {
    const recorded = 'http://127.0.0.1:3101';
    expect(parseCliArgs(['/qc'], {}, recorded)).toMatchObject({ urls: [recorded, 'http://127.0.0.1:3000'] });
    expect(parseCliArgs(['/qc'], { PORT: '3101' }, recorded)).toMatchObject({ urls: [recorded] });
    expect(parseCliArgs(['/qc'], { PORT: '4000' }, recorded)).toMatchObject({
      urls: [recorded, 'http://127.0.0.1:4000'],
    });
    expect(parseCliArgs(['/qc', '--port', '3102'], { PORT: '4000' }, recorded)).toMatchObject({
      urls: ['http://127.0.0.1:3102'],
    });
    expect(parseCliArgs(['/qc', '--url', 'http://127.0.0.1:9/'], {}, recorded)).toMatchObject({
      urls: ['http://127.0.0.1:9'],
    });
    expect(parseCliArgs(['/qc', '--port', 'abc'], {})).toEqual({
      error: '--port must be a TCP port number from 1 to 65535: got "abc"',
    });
    expect(parseCliArgs(['/qc'], { PORT: 'abc' })).toEqual({
      error: 'PORT must be a TCP port number from 1 to 65535: got "abc"',
    });
  });

  it('takes flags, PORT and SLACK_SIGNING_SECRET', () => {
    const parsed = parseCliArgs(
      [
        '/qc',
        'signin',
        '--user',
        'U_ANN',
        '--channel',
        'C_OTHER',
        '--team',
        'T2',
        '--wait',
        '1.5',
        '--json',
        '--password',
        'pw',
      ],
      { PORT: '4000', SLACK_SIGNING_SECRET: 'from-env' },
    ) as CliOptions;
    expect(parsed).toMatchObject({
      command: '/qc',
      text: 'signin',
      user: 'U_ANN',
      channel: 'C_OTHER',
      team: 'T2',
      urls: ['http://127.0.0.1:4000'],
      secret: 'from-env',
      wait: 1.5,
      json: true,
      password: 'pw',
    });
    expect(parseCliArgs(['/x', '--url', 'http://h:1/', '--secret', 's'], {})).toMatchObject({
      urls: ['http://h:1'],
      secret: 's',
    });
    expect(parseCliArgs(['/qc signin', '--modal-password', 'pw2'], {})).toMatchObject({ password: 'pw2' });
    expect(parseCliArgs(['/qc'], {})).toMatchObject({ command: '/qc', text: '' });
    expect(parseCliArgs(['/qc   link  1001  U_X '], {})).toMatchObject({
      command: '/qc',
      text: 'link  1001  U_X',
    });
  });

  it('reports errors and help', () => {
    expect(parseCliArgs(['--help'], {})).toEqual({ help: true });
    expect(parseCliArgs(['-h'], {})).toEqual({ help: true });
    expect(parseCliArgs([], {})).toMatchObject({ error: expect.stringMatching(/missing the slash command/) });
    expect(parseCliArgs(['intercept 2005'], {})).toMatchObject({
      error: expect.stringMatching(/starts with "\/"/),
    });
    expect(parseCliArgs(['/x', '--wait', 'soon'], {})).toMatchObject({
      error: expect.stringMatching(/--wait/),
    });
    expect(parseCliArgs(['/x', '--bogus'], {})).toMatchObject({ error: expect.stringMatching(/bogus/) });
    expect(parseCliArgs(['/x', '--url', 'localhost:3000'], {})).toMatchObject({
      error: expect.stringMatching(/--url/),
    });
  });

  it('usage shows examples, including /qc signin with --password', () => {
    expect(USAGE).toContain('npm run slack -- "/intercept 2005"');
    expect(USAGE).toContain('"/qc signin" --password');
  });
});

const msg = (over: Partial<LocalMessage>): LocalMessage => ({
  channel: 'C_QC',
  channelName: 'qc',
  author: 'qc-slack',
  ts: '1732530000.000100',
  user: 'U_QCBOT',
  botId: 'B_QCBOT',
  edits: 0,
  history: [],
  postedAt: 1,
  updatedAt: 1,
  ...over,
});

describe('formatMessage', () => {
  it('channel messages, thread replies, ephemerals, edits', () => {
    expect(formatMessage(msg({ text: '✅ Intercepted 2005' }), 'U_DEMO')).toBe(
      '#qc  qc-slack: ✅ Intercepted 2005',
    );
    expect(formatMessage(msg({ ts: '2.0', threadTs: '1.0', text: 'AgentEvent_Talking' }), 'U_DEMO')).toBe(
      '  ↳ qc-slack: AgentEvent_Talking',
    );
    expect(formatMessage(msg({ ephemeralTo: 'U_DEMO', text: 'working…' }), 'U_DEMO')).toBe(
      '#qc  (only you) qc-slack: working…',
    );
    expect(formatMessage(msg({ edits: 1, text: 'v2' }), 'U_DEMO')).toBe('#qc  (edited) qc-slack: v2');
    expect(formatMessage(msg({ deleted: true, text: 'x' }), 'U_DEMO')).toBe('#qc  (deleted) qc-slack:');
    expect(formatMessage(msg({ channel: 'D_DEMO', channelName: 'U_DEMO', text: 'dm' }), 'U_DEMO')).toBe(
      '@U_DEMO  qc-slack: dm',
    );
  });

  it('renders blocks, continuation lines indented', () => {
    const out = formatMessage(
      msg({
        text: 'fallback',
        blocks: [
          { type: 'section', text: { type: 'mrkdwn', text: 'Agent 2005 <@U_DEMO>' } },
          {
            type: 'actions',
            elements: [
              { type: 'button', text: { type: 'plain_text', text: 'Listen' } },
              { type: 'button', text: { type: 'plain_text', text: 'Intercept' }, style: 'danger' },
            ],
          },
        ],
      }),
      'U_DEMO',
    );
    expect(out).toBe('#qc  qc-slack: Agent 2005 @U_DEMO\n     [Listen] [Intercept!]');
  });
});

describe('formatAck', () => {
  const ctx = { channelName: 'qc' };
  it('renders the different acks', () => {
    expect(formatAck(200, '', 12, ctx)).toBe('HTTP 200 in 12 ms — acknowledged (empty ack)');
    expect(formatAck(200, JSON.stringify({ text: 'Working on it…' }), 5, ctx)).toBe(
      'HTTP 200 in 5 ms\n(only you) Working on it…',
    );
    expect(formatAck(200, JSON.stringify({ response_type: 'in_channel', text: 'hi' }), 5, ctx)).toBe(
      'HTTP 200 in 5 ms\n#qc  qc-slack: hi',
    );
    expect(formatAck(200, 'ok', 1, ctx)).toBe('HTTP 200 in 1 ms\n(only you) ok');
    expect(formatAck(401, '', 1, ctx)).toMatch(/signature rejected/);
    expect(
      formatAck(200, JSON.stringify({ response_action: 'errors', errors: { pw: 'Wrong password' } }), 1, ctx),
    ).toBe('HTTP 200 in 1 ms — modal errors:\n  pw: Wrong password');
    const update = {
      response_action: 'update',
      view: {
        type: 'modal',
        title: { type: 'plain_text', text: 'Signed in' },
        blocks: [{ type: 'section', text: { type: 'mrkdwn', text: ':white_check_mark: Inspector 1001' } }],
      },
    };
    expect(formatAck(200, JSON.stringify(update), 3, ctx)).toBe(
      'HTTP 200 in 3 ms — response_action: update, the modal now shows:\n  ┌ Signed in\n  ✅ Inspector 1001',
    );
  });
});

describe('modals', () => {
  const view = {
    type: 'modal',
    callback_id: 'qc_signin',
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: 'Sign in to the gateway' } },
      {
        type: 'input',
        block_id: 'inspector',
        label: { type: 'plain_text', text: 'Inspector' },
        element: { type: 'plain_text_input', action_id: 'inspector_id', initial_value: '1001' },
      },
      {
        type: 'input',
        block_id: 'mode',
        label: { type: 'plain_text', text: 'Mode' },
        element: {
          type: 'static_select',
          action_id: 'mode',
          initial_option: { text: { type: 'plain_text', text: 'Poll' }, value: 'poll' },
        },
      },
      {
        type: 'input',
        block_id: 'pw',
        label: { type: 'plain_text', text: 'Password' },
        element: { type: 'plain_text_input', action_id: 'inspector_password' },
      },
      {
        type: 'input',
        block_id: 'pw2',
        label: { type: 'plain_text', text: 'Other password' },
        element: { type: 'plain_text_input', action_id: 'password_again' },
      },
    ],
  };

  it('fillModal fills the first password input and keeps the initial values of the others', () => {
    expect(fillModal(view, 'simulator')).toEqual({
      filled: true,
      values: {
        inspector: { inspector_id: { type: 'plain_text_input', value: '1001' } },
        mode: {
          mode: {
            type: 'static_select',
            selected_option: { text: { type: 'plain_text', text: 'Poll' }, value: 'poll' },
          },
        },
        pw: { inspector_password: { type: 'plain_text_input', value: 'simulator' } },
        pw2: { password_again: { type: 'plain_text_input', value: null } },
      },
    });
    expect(fillModal({ ...view, blocks: view.blocks.slice(0, 2) }, 'x').filled).toBe(false);
  });

  it('pickModal takes the modal opened with our trigger_id or for our user since the start', () => {
    const v = (over: Partial<StoredView>): StoredView => ({
      id: 'V1',
      type: 'modal',
      view: {},
      hash: 'h',
      openedAt: 100,
      updatedAt: 100,
      updates: 0,
      ...over,
    });
    const views = [
      v({ id: 'V0', user: 'U_DEMO', openedAt: 10 }),
      v({ id: 'VH', type: 'home', user: 'U_DEMO' }),
      v({ id: 'V2', user: 'U_OTHER' }),
      v({ id: 'V3', triggerId: 't-1' }),
      v({ id: 'V4', user: 'U_DEMO' }),
    ];
    const ctx = { user: 'U_DEMO', triggerId: 't-1', since: 50 };
    expect(pickModal(views, ctx, new Set())?.id).toBe('V3');
    expect(pickModal(views, ctx, new Set(['V3']))?.id).toBe('V4');
    expect(pickModal(views, ctx, new Set(['V3', 'V4']))).toBeUndefined();
  });
});

describe('run', () => {
  it('says how to start the local stack when it is not running, and exits 1', async () => {
    // a port nothing listens on: bind one, then close it
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((r) => probe.close(r));
    const lines: string[] = [];
    const code = await run(
      {
        command: '/intercept',
        text: '2005',
        user: 'U_DEMO',
        channel: 'C_QC',
        team: 'T_LOCAL',
        urls: [`http://127.0.0.1:${port}`],
        secret: 's',
        settle: 0,
        wait: 0,
        json: false,
      },
      (l) => lines.push(l),
    );
    expect(code).toBe(1);
    expect(lines.join('\n')).toBe(
      `Cannot reach the local stack at http://127.0.0.1:${port} (ECONNREFUSED). Start it with: npm start (on another port? npm run slack -- "<command>" --port <n>)`,
    );
  });

  it('sends nothing to a program that is not the qc-slack stack, nor to one in Socket Mode', async () => {
    const received: string[] = [];
    let healthz = '{"service":"qc-slack-local","mode":"socket","pendingJobs":0}';
    const other = createServer((req, res) => {
      received.push(`${req.method} ${req.url}`);
      res.writeHead(req.url === '/healthz' && healthz ? 200 : 404);
      res.end(req.url === '/healthz' ? healthz : 'nope');
    });
    await new Promise<void>((r) => other.listen(0, '127.0.0.1', r));
    const otherUrl = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
    try {
      expect(await locateStack([otherUrl])).toEqual({
        error: `The local stack at ${otherUrl} runs in Socket Mode against a real workspace: type the command in Slack.`,
      });
      healthz = '';
      const lines: string[] = [];
      const code = await run(
        {
          command: '/qc',
          text: 'help',
          user: 'U_DEMO',
          channel: 'C_QC',
          team: 'T_LOCAL',
          urls: [otherUrl],
          secret: 's',
          settle: 0,
          wait: 0,
          json: false,
        },
        (l) => lines.push(l),
      );
      expect(code).toBe(1);
      expect(lines[0]).toMatch(/something else answers there, not the qc-slack local stack/);
      expect(received.every((r) => r === 'GET /healthz')).toBe(true);
    } finally {
      await new Promise((r) => other.close(r));
    }
  });
});

/**
 * A stand-in for the local stack: the fake Slack mounted at the root, and /slack/events served by a Bolt
 * App through AwsLambdaReceiver (as the Lambda would). The real stack is tested elsewhere.
 */
describe('run against a stand-in local stack', () => {
  const SECRET = 'local-signing-secret';
  let fake: FakeSlack;
  let server: Server;
  let url: string;
  const passwords: string[] = [];
  /** What the stand-in's /healthz reports as jobs in progress. */
  let pending = 0;

  beforeAll(async () => {
    fake = createFakeSlack({ botToken: 'xoxb-local' });
    let handler: ReturnType<AwsLambdaReceiver['toHandler']> | undefined;
    server = createServer(async (req, res) => {
      if (await fake.handle(req, res)) return;
      if (req.url === '/healthz') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ service: 'qc-slack-local', mode: 'local', pendingJobs: pending }));
        return;
      }
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
      const out = await handler?.(
        apiGatewayEvent({ body: Buffer.concat(chunks).toString('utf8'), headers }),
        {},
      );
      res.writeHead(out?.statusCode ?? 503, (out?.headers ?? {}) as Record<string, string>);
      res.end(out?.body ?? '');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const receiver = new AwsLambdaReceiver({ signingSecret: SECRET, logLevel: LogLevel.ERROR });
    const app = new App({
      token: 'xoxb-local',
      receiver,
      botId: 'B_QCBOT',
      botUserId: 'U_QCBOT',
      logLevel: LogLevel.ERROR,
      clientOptions: { slackApiUrl: `${url}/api/`, retryConfig: { retries: 0 } },
    });
    app.command('/intercept', async ({ ack, command, client, respond }) => {
      await ack({ text: `Working on ${command.text}…` });
      const parent = await client.chat.postMessage({
        channel: command.channel_id,
        text: `✅ Intercepted ${command.text}`,
      });
      await client.chat.postMessage({
        channel: command.channel_id,
        thread_ts: parent.ts as string,
        text: 'AgentEvent_Talking',
      });
      await client.chat.update({
        channel: command.channel_id,
        ts: parent.ts as string,
        text: `✅ Intercepted ${command.text} (talking)`,
      });
      await respond({ text: 'done', response_type: 'ephemeral' });
    });
    app.command('/qc', async ({ ack, command, client }) => {
      await client.views.open({
        trigger_id: command.trigger_id,
        view: {
          type: 'modal',
          callback_id: 'qc_signin',
          title: { type: 'plain_text', text: 'Sign in' },
          submit: { type: 'plain_text', text: 'Sign in' },
          blocks: [
            {
              type: 'input',
              block_id: 'inspector',
              label: { type: 'plain_text', text: 'Inspector ID' },
              element: { type: 'plain_text_input', action_id: 'inspector_id', initial_value: '1001' },
            },
            {
              type: 'input',
              block_id: 'pw',
              label: { type: 'plain_text', text: 'Password' },
              element: { type: 'plain_text_input', action_id: 'password' },
            },
          ],
        },
      });
      await ack();
    });
    app.view('qc_signin', async ({ ack, view, body, client }) => {
      const pw = view.state.values.pw?.password?.value ?? '';
      const inspector = view.state.values.inspector?.inspector_id?.value ?? '';
      passwords.push(pw);
      await ack();
      await client.chat.postMessage({ channel: body.user.id, text: `Signed in as inspector ${inspector}` });
    });
    handler = receiver.toHandler();
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  const opts = (over: Partial<CliOptions>): CliOptions => ({
    command: '/intercept',
    text: '2005',
    user: 'U_DEMO',
    channel: 'C_QC',
    team: 'T_LOCAL',
    urls: [url],
    secret: SECRET,
    settle: 0.5,
    wait: 20,
    json: false,
    ...over,
  });

  it('returns once the result and its thread have settled, not after a fixed wait', async () => {
    const lines: string[] = [];
    const started = Date.now();
    expect(await run(opts({ wait: 60 }), (l) => lines.push(l))).toBe(0);
    // Settled after 0.5 s of quiet: far below the 60 s cap whatever the machine.
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(lines.join('\n')).toContain('  ↳ qc-slack: AgentEvent_Talking');
    expect(lines.join('\n')).not.toContain('stopped following');
  });

  it('waits while the app still has a job, and says so when the cap comes first', async () => {
    pending = 1;
    try {
      const lines: string[] = [];
      expect(await run(opts({ command: '/qc', text: 'help-nothing', wait: 0.5 }), (l) => lines.push(l))).toBe(
        0,
      );
      expect(lines.at(-1)).toMatch(
        /^\(stopped following after 0\.5 s: the app was still working on 1 job\(s\); later messages show in the console/,
      );
    } finally {
      pending = 0;
    }
  });

  it('prints the ack, then each message and edit once', async () => {
    const lines: string[] = [];
    expect(await run(opts({}), (l) => lines.push(l))).toBe(0);
    const out = lines.join('\n');
    expect(lines[0]).toMatch(/^HTTP 200 in \d+ ms\n\(only you\) Working on 2005…$/);
    expect(out).toContain('#qc  (edited) qc-slack: ✅ Intercepted 2005 (talking)');
    expect(out).toContain('  ↳ qc-slack: AgentEvent_Talking');
    expect(out).toContain('#qc  (only you) qc-slack: done');
    expect(lines.filter((l) => l.includes('AgentEvent_Talking'))).toHaveLength(1);
  });

  it('a wrong secret: 401 and exit 1', async () => {
    const lines: string[] = [];
    expect(await run(opts({ secret: 'wrong' }), (l) => lines.push(l))).toBe(1);
    expect(lines[0]).toMatch(/HTTP 401 .*signature rejected/);
  });

  it('--password submits the modal opened for the user, keeping the other inputs, never printing the password', async () => {
    const lines: string[] = [];
    expect(
      await run(opts({ command: '/qc', text: 'signin', password: 'simulator' }), (l) => lines.push(l)),
    ).toBe(0);
    const out = lines.join('\n');
    expect(passwords).toEqual(['simulator']);
    expect(out).toContain('modal opened for you');
    expect(out).toContain('Sign in');
    expect(out).toMatch(/modal submitted \(password not shown\) → HTTP 200/);
    expect(out).toContain('@U_DEMO  qc-slack: Signed in as inspector 1001');
    expect(out).not.toContain('simulator');
  });

  it('without --password it only shows the modal and a hint', async () => {
    const lines: string[] = [];
    expect(await run(opts({ command: '/qc', text: 'signin' }), (l) => lines.push(l))).toBe(0);
    expect(lines.join('\n')).toContain('submit it with --password');
    expect(passwords).toEqual(['simulator']);
  });

  it('--json prints one JSON object per line', async () => {
    const lines: string[] = [];
    expect(await run(opts({ json: true }), (l) => lines.push(l))).toBe(0);
    const objs = lines.map((l) => JSON.parse(l) as { type: string });
    expect(objs[0]).toMatchObject({ type: 'ack', status: 200 });
    expect(objs.some((o) => o.type === 'message')).toBe(true);
  });
});
