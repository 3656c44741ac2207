import { describe, expect, it } from 'vitest';
import { SLACKBOT, type StoreChange } from '../../local/slack-api/index';
import { useFakeSlack } from '../helpers/fake-slack';

const env = useFakeSlack({
  botToken: 'xoxb-acks',
  users: [
    { id: 'U_DEMO', name: 'demo' },
    { id: 'U_OTHER', name: 'other' },
  ],
  channels: [{ id: 'C_QC', name: 'qc' }],
});

const modal = (title: string, extra: Record<string, unknown> = {}) => ({
  type: 'modal',
  title: { type: 'plain_text', text: title },
  submit: { type: 'plain_text', text: 'Go' },
  blocks: [
    {
      type: 'input',
      block_id: 'b_pw',
      label: { type: 'plain_text', text: 'Password' },
      element: { type: 'plain_text_input', action_id: 'pw' },
    },
  ],
  ...extra,
});

/** Opens a modal for U_DEMO through the fake's Web API (views.open with a trigger it issued). */
async function openModal(): Promise<string> {
  const res = await fetch(`${env.fake.apiUrl}views.open`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer xoxb-acks' },
    body: JSON.stringify({ trigger_id: env.fake.newTriggerId({ user: 'U_DEMO' }), view: modal('Sign in') }),
  });
  const answer = (await res.json()) as { ok: boolean; view: { id: string } };
  expect(answer.ok).toBe(true);
  return answer.view.id;
}

describe('recordCommandAck', () => {
  it('an ack with text and blocks becomes a message only the user sees, in that channel', () => {
    const changes: StoreChange[] = [];
    const off = env.fake.store.on('change', (c) => changes.push(c));
    const m = env.fake.recordCommandAck({
      channel: 'C_QC',
      user: 'U_DEMO',
      command: '/qc',
      status: 200,
      body: JSON.stringify({
        response_type: 'ephemeral',
        text: 'Listening…',
        blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'Listening…' } }],
      }),
    });
    off();
    expect(m).toMatchObject({ channel: 'C_QC', ephemeralTo: 'U_DEMO', text: 'Listening…', user: 'U_QCBOT' });
    expect(m?.blocks).toHaveLength(1);
    expect(env.fake.store.ephemeralFor('U_DEMO')).toEqual([m]);
    expect(env.fake.store.ephemeralFor('U_OTHER')).toEqual([]);
    expect(env.fake.store.channelMessages('C_QC')).toEqual([]);
    expect(changes.map((c) => c.kind)).toEqual(['message']);
  });

  it('response_type in_channel is posted in the channel for everyone', () => {
    const m = env.fake.recordCommandAck({
      channel: 'C_QC',
      user: 'U_DEMO',
      command: '/qc',
      status: 200,
      body: JSON.stringify({ response_type: 'in_channel', text: 'for all' }),
    });
    expect(m?.ephemeralTo).toBeUndefined();
    expect(env.fake.store.channelMessages('C_QC').map((x) => x.text)).toEqual(['for all']);
  });

  it('an empty ack shows nothing; a plain-text ack is shown as text', () => {
    expect(
      env.fake.recordCommandAck({ channel: 'C_QC', user: 'U_DEMO', command: '/qc', status: 200, body: '' }),
    ).toBeUndefined();
    const m = env.fake.recordCommandAck({
      channel: 'C_QC',
      user: 'U_DEMO',
      command: '/qc',
      status: 200,
      body: 'ok, working',
    });
    expect(m).toMatchObject({ text: 'ok, working', ephemeralTo: 'U_DEMO' });
    expect(env.fake.store.messages).toHaveLength(1);
  });

  it('a non-200 answer or blocks Slack would refuse become a Slackbot notice to the user', () => {
    const failed = env.fake.recordCommandAck({
      channel: 'C_QC',
      user: 'U_DEMO',
      command: '/qc',
      status: 401,
      body: '',
    });
    expect(failed).toMatchObject({ user: SLACKBOT, ephemeralTo: 'U_DEMO' });
    expect(failed?.text).toBe('/qc failed with the error "dispatch_failed" (the app answered HTTP 401)');
    const invalid = env.fake.recordCommandAck({
      channel: 'C_QC',
      user: 'U_DEMO',
      command: '/intercept',
      status: 200,
      body: JSON.stringify({ text: 'x', blocks: [{ nope: true }] }),
    });
    expect(invalid?.user).toBe(SLACKBOT);
    expect(invalid?.text).toMatch(/^\/intercept failed with the error "invalid_blocks"/);
  });
});

describe('applyViewAck / closeView', () => {
  it('an empty answer closes the modal (closedAt set, a view change emitted)', async () => {
    const id = await openModal();
    const kinds: string[] = [];
    const off = env.fake.store.on('change', (c) => kinds.push(c.kind));
    expect(env.fake.applyViewAck({ viewId: id, status: 200, body: '' })).toEqual({ action: 'close' });
    off();
    expect(env.fake.store.views.find((v) => v.id === id)?.closedAt).toBeTypeOf('number');
    expect(kinds).toEqual(['view']);
  });

  it('errors leave the modal open and come back per block', async () => {
    const id = await openModal();
    const result = env.fake.applyViewAck({
      viewId: id,
      status: 200,
      body: JSON.stringify({ response_action: 'errors', errors: { b_pw: 'Enter your CTI password.' } }),
    });
    expect(result).toEqual({ action: 'errors', errors: { b_pw: 'Enter your CTI password.' } });
    expect(env.fake.store.views.find((v) => v.id === id)?.closedAt).toBeUndefined();
  });

  it('update replaces the view in place (new hash, same id); push stacks a new one; clear closes all', async () => {
    const id = await openModal();
    const before = env.fake.store.views.find((v) => v.id === id)?.hash;
    const updated = env.fake.applyViewAck({
      viewId: id,
      status: 200,
      body: JSON.stringify({ response_action: 'update', view: modal('Signed in') }),
    });
    expect(updated.action).toBe('update');
    const stored = env.fake.store.views.find((v) => v.id === id);
    expect(stored?.hash).not.toBe(before);
    expect(stored?.view.title).toMatchObject({ text: 'Signed in' });
    expect(stored?.updates).toBe(1);

    const pushed = env.fake.applyViewAck({
      viewId: id,
      status: 200,
      body: JSON.stringify({ response_action: 'push', view: modal('Step 2') }),
    });
    expect(pushed.action).toBe('push');
    const top = env.fake.store.views.at(-1);
    expect(top).toMatchObject({ previousViewId: id, user: 'U_DEMO' });

    expect(env.fake.applyViewAck({ viewId: id, status: 200, body: '{"response_action":"clear"}' })).toEqual({
      action: 'clear',
    });
    expect(env.fake.store.views.every((v) => v.closedAt !== undefined)).toBe(true);
  });

  it('a bad answer keeps the modal open with Slack-style trouble; unknown views are named', async () => {
    const id = await openModal();
    const r500 = env.fake.applyViewAck({ viewId: id, status: 500, body: '' });
    expect(r500).toEqual({
      action: 'failed',
      message: 'We had some trouble connecting. Try again? (the app answered HTTP 500)',
    });
    const bad = env.fake.applyViewAck({
      viewId: id,
      status: 200,
      body: JSON.stringify({ response_action: 'update', view: { type: 'modal' } }),
    });
    expect(bad.action).toBe('failed');
    expect(env.fake.applyViewAck({ viewId: 'V_NOPE', status: 200, body: '' })).toEqual({
      action: 'failed',
      message: 'no modal with id V_NOPE',
    });
    expect(env.fake.closeView('V_NOPE')).toBeUndefined();
    expect(env.fake.closeView(id)?.closedAt).toBeTypeOf('number');
  });
});
