import { beforeAll, describe, expect, it } from 'vitest';
import { until, useLocalStack } from './support';

/**
 * POST /gateway/events as the gateway sends it: outside strings in pushed events reach Slack as
 * text (no `<!channel>` ping), and a delivery sent again (our answer was lost) posts nothing twice.
 */
const env = useLocalStack({ push: true });
beforeAll(() => env.signIn('U_DEMO', '1001'));

async function push(eventList: unknown[]): Promise<number> {
  const session = await env.stack.store.getSession('1001');
  if (!session?.serviceToken) throw new Error('not signed in in push mode');
  const res = await fetch(`${env.stack.url}/gateway/events`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json; charset=UTF-8',
      guid: session.guid,
      service_token: session.serviceToken,
    },
    body: JSON.stringify({ workNo: '1001', eventList }),
  });
  await res.text();
  return res.status;
}

/** Every line of every message now in the fake Slack (edited replies as they read now). */
const allLines = () =>
  env.stack.slack.store.messages.flatMap((m) => (m.text ?? '').split('\n')).filter((l) => l !== '');

describe('pushed events', () => {
  it('a caller of "<!channel>" is shown as text; the same delivery again posts nothing new', async () => {
    const talking = {
      eventType: 'AgentEvent_Talking',
      eventGenTime: Date.now(),
      workNo: '1001',
      content: { caller: '<!channel>', called: '<@U123>', callid: '<http://x|y>&amp;', feature: '7' },
    };
    expect(await push([talking])).toBe(200);
    const line = await until('the Talking line', () => allLines().find((l) => /Talking: caller/.test(l)));
    expect(line).toContain('caller &lt;!channel&gt; → &lt;@U123&gt; (call &lt;http://x|y&gt;&amp;amp;)');
    expect(JSON.stringify(env.stack.slack.store.messages)).not.toContain('<!channel>');

    // The gateway did not get our answer and sends the same delivery again, with one new event.
    const release = {
      eventType: 'AgentOther_PhoneRelease',
      eventGenTime: Date.now(),
      workNo: '1001',
      content: null,
    };
    expect(await push([talking, release])).toBe(200);
    await until('the new line', () => allLines().some((l) => /Your phone hung up/.test(l)));
    const session = await env.stack.store.getSession('1001');
    await until('nothing pending', async () =>
      session ? (await env.stack.store.listPending('1001', session.sessionId)).length === 0 : false,
    );
    expect(allLines().filter((l) => /Talking: caller/.test(l))).toHaveLength(1);
    expect(allLines().filter((l) => /Your phone hung up/.test(l))).toHaveLength(1);
  });
});
