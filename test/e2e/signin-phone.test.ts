import { describe, expect, it } from 'vitest';
import { dmChannelId } from '../../local/slack-api/methods';
import type { StoredView } from '../../local/slack-api/store';
import { gatewayRequests, text, useLocalStack, waitForNew } from './support';

/**
 * The soft-phone the gateway calls when an inspector monitors comes from the link an admin made:
 * the admin-set number or another number the admin allowed for that inspector. A sign-in with any
 * other number (a forged modal submission) is refused in the modal, with no gateway call.
 */
const env = useLocalStack();

/** `/qc signin` as `user`: the modal Slack would open. */
async function openModal(user: string): Promise<StoredView> {
  const before = env.stack.slack.store.views.length;
  const triggerId = env.stack.slack.newTriggerId({ user });
  const ack = await env.slack.post(env.slack.commandBody('/qc signin', user, undefined, triggerId));
  expect(ack.status).toBe(200);
  return env.stack.slack.store.waitFor((s) => s.views.slice(before).find((v) => v.user === user));
}

const signIns = () =>
  gatewayRequests(env.stack, 'login').length + gatewayRequests(env.stack, 'forceLogin').length;

/** The phone input's element as the modal shows it. */
function phoneElement(view: StoredView): Record<string, unknown> | undefined {
  const blocks = view.view.blocks as Array<{ block_id?: string; element?: Record<string, unknown> }>;
  return blocks.find((b) => b.block_id === 'qc_phone')?.element;
}

async function toSender(command: string, match: RegExp, user: string) {
  const since = env.mark();
  await env.slack.command(command, user);
  return waitForNew(env.stack, since, (m) => m.ephemeralTo === user && match.test(text(m)));
}

describe('the sign-in phone is the one an admin set', () => {
  it('(d) a number no admin allowed: a modal error and no gateway call', async () => {
    const view = await openModal('U_DEMO');
    const before = signIns();
    const res = await env.slack.submitView('U_DEMO', view, {
      qc_password: { password_input: 'simulator' },
      qc_phone: { phone_input: '79999' },
    });
    expect(signIns()).toBe(before);
    expect(await env.stack.store.getSession('1001')).toBeUndefined();
    expect(res.json?.response_action).toBe('errors');
    expect(JSON.stringify(res.json?.errors)).toMatch(/not a number an admin allowed/);
    // The modal offers a choice among the admin's numbers, not a free text field.
    const phone = phoneElement(view);
    expect(phone?.type).toBe('static_select');
    expect(JSON.stringify(phone?.options)).toMatch(/70001/);
  });

  it('(d) an extra number the admin allowed: signed in with that number', async () => {
    const linked = await toSender('/qc link <@U_DEMO|demo> 1001 70001,70009', /Linked/, 'U_ADMIN');
    expect(text(linked)).toMatch(/phone 70001; also allowed: 70009/);
    const view = await openModal('U_DEMO');
    const options = JSON.stringify(phoneElement(view)?.options);
    expect(options).toMatch(/70001/);
    expect(options).toMatch(/70009/);
    const res = await env.slack.submitView('U_DEMO', view, {
      qc_password: { password_input: 'simulator' },
      qc_phone: { phone_input: '70009' },
    });
    expect(JSON.stringify(res.json)).toMatch(/Signed in as inspector \*1001\*/);
    expect((await env.stack.store.getSession('1001'))?.phone).toBe('70009');
  });

  it('an admin takes back the number a live session uses: that session ends', async () => {
    expect((await env.stack.store.getSession('1001'))?.status).toBe('active');
    const relinked = await toSender('/qc link <@U_DEMO|demo> 1001 70001', /Linked/, 'U_ADMIN');
    expect(text(relinked)).toMatch(/Their session as inspector 1001 was ended/);
    expect((await env.stack.store.getSession('1001'))?.status).toBe('ended');
    await env.stack.slack.store.waitFor((s) =>
      s.channelMessages(dmChannelId('U_DEMO')).find((m) => /no longer allowed/.test(text(m))),
    );
  });

  it('a link with no phone: the modal says to ask an admin; a forged submission is refused', async () => {
    await toSender('/qc link <@U_DEMO2|demo2> 1003', /Linked/, 'U_ADMIN');
    const view = await openModal('U_DEMO2');
    expect(JSON.stringify(view.view)).toMatch(/Ask a qc-slack admin to set your phone/);
    expect(view.view.submit ?? undefined).toBeUndefined();
    const before = signIns();
    const res = await env.slack.submitView('U_DEMO2', view, {
      qc_password: { password_input: 'simulator' },
      qc_phone: { phone_input: '70003' },
    });
    expect(JSON.stringify(res.json)).toMatch(/has no soft-phone number yet/);
    expect(signIns()).toBe(before);
  });
});
