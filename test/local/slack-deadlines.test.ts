import { describe, expect, it } from 'vitest';
import { SLACKBOT } from '../../local/slack-api/index';
import { formatAck } from '../../scripts/slack';
import { errorOf, useFakeSlack } from '../helpers/fake-slack';

/** The fake keeps Slack's 3 s when asked: trigger_ids expire, late acks are flagged. Its clock is ours. */
let now = 1_750_000_000_000;
const env = useFakeSlack({
  botToken: 'xoxb-deadlines',
  users: [{ id: 'U_DEMO', name: 'demo' }],
  channels: [{ id: 'C_QC', name: 'qc' }],
  clock: () => now,
  deadlines: true,
});

const modal = {
  type: 'modal',
  title: { type: 'plain_text', text: 'Sign in' },
  blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'hello' } }],
};

describe('trigger_ids expire after 3 s', () => {
  it('views.open within 3 s of the trigger opens the modal; after 3 s: expired_trigger_id, nothing opened', async () => {
    const fresh = env.fake.newTriggerId({ user: 'U_DEMO' });
    now += 3_000;
    await expect(env.client.views.open({ trigger_id: fresh, view: modal as never })).resolves.toMatchObject({
      ok: true,
    });

    const stale = env.fake.newTriggerId({ user: 'U_DEMO' });
    const views = env.fake.store.views.length;
    now += 3_001;
    expect(await errorOf(env.client.views.open({ trigger_id: stale, view: modal as never }))).toBe(
      'expired_trigger_id',
    );
    expect(env.fake.store.views.length).toBe(views);
  });

  it('with deadlines off, an old trigger_id still opens a modal (the default for the fake)', async () => {
    env.fake.setDeadlines(false);
    try {
      const old = env.fake.newTriggerId({ user: 'U_DEMO' });
      now += 60_000;
      await expect(env.client.views.open({ trigger_id: old, view: modal as never })).resolves.toMatchObject({
        ok: true,
      });
    } finally {
      env.fake.setDeadlines(true);
    }
  });
});

describe('late acks', () => {
  it('an ack 3 s after the request is on time; after that it is flagged with how long it took', () => {
    const before = env.fake.lateAcks().length;
    const onTime = env.fake.newTriggerId({ user: 'U_DEMO' });
    now += 3_000;
    expect(env.fake.noteAck(onTime, '/qc status')).toBeUndefined();

    const late = env.fake.newTriggerId({ user: 'U_DEMO' });
    now += 3_200;
    expect(env.fake.noteAck(late, '/qc signin')).toEqual({
      triggerId: late,
      what: '/qc signin',
      user: 'U_DEMO',
      tookMs: 3_200,
    });
    expect(
      env.fake
        .lateAcks()
        .slice(before)
        .map((a) => a.what),
    ).toEqual(['/qc signin']);
  });

  it('a late slash-command ack: Slackbot says operation_timeout to the user instead of showing the ack', () => {
    const triggerId = env.fake.newTriggerId({ user: 'U_DEMO', channel: 'C_QC' });
    now += 4_000;
    const shown = env.fake.recordCommandAck({
      channel: 'C_QC',
      user: 'U_DEMO',
      command: '/qc',
      status: 200,
      body: JSON.stringify({ text: 'Signing you out…' }),
      triggerId,
    });
    expect(shown?.user).toBe(SLACKBOT);
    expect(shown?.ephemeralTo).toBe('U_DEMO');
    expect(shown?.text).toMatch(
      /\/qc failed with the error "operation_timeout" \(the app answered after 4000 ms/,
    );
  });
});

describe('npm run slack', () => {
  it('an ack after 3 s is shown with what Slack would show instead (operation_timeout); one in time is not', () => {
    const body = JSON.stringify({ response_type: 'ephemeral', text: 'Signing you out…' });
    expect(formatAck(200, body, 3_400, { channelName: 'qc' })).toMatch(
      /HTTP 200 in 3400 ms \(over Slack's 3 s: Slack would show "operation_timeout" instead\)/,
    );
    expect(formatAck(200, body, 3_000, { channelName: 'qc' })).not.toMatch(/operation_timeout/);
  });
});
