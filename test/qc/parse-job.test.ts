import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { QC_OPERATIONS } from '../../src/qc/model';
import { groupIdOf, type Job, parseJob } from '../../src/queue/jobs';

/**
 * A queue message body is outside input: whatever it holds, parseJob answers a job or null and never
 * throws; every job the Slack function writes comes back as it was.
 */
const id = (max: number) => fc.string({ minLength: 1, maxLength: max });
const digits = fc.stringMatching(/^[0-9]{3,7}$/);
const slack = fc.record(
  {
    teamId: id(40),
    userId: id(40),
    channelId: id(40),
    responseUrl: fc.webUrl().filter((u) => u.length <= 2000),
    ackNote: fc.constant(true as const),
  },
  { requiredKeys: ['teamId', 'userId', 'channelId'] },
);
const base = { v: fc.constant(1 as const), requestId: id(128), slack, requestedAt: fc.integer({ min: 0 }) };
const words = (n: number, max: number) => fc.array(id(max), { maxLength: n });

/** Every kind of job, as the ack path writes it. */
const job: fc.Arbitrary<Job> = fc.oneof(
  fc.record(
    {
      ...base,
      kind: fc.constant('qc' as const),
      op: fc.constantFrom(...QC_OPERATIONS),
      agentId: digits,
      inspectorId: digits,
      alertId: id(64),
    },
    { requiredKeys: ['v', 'requestId', 'slack', 'requestedAt', 'kind', 'op', 'agentId', 'inspectorId'] },
  ),
  fc.record({ ...base, kind: fc.constant('release-call' as const), callId: id(64), inspectorId: digits }),
  fc.record({
    ...base,
    kind: fc.constant('permissions' as const),
    targetUserId: id(40),
    change: fc.constantFrom('allow' as const, 'deny' as const),
    permissions: words(6, 40),
  }),
  fc.record(
    { ...base, kind: fc.constant('who' as const), agentId: digits },
    { requiredKeys: ['v', 'requestId', 'slack', 'requestedAt', 'kind'] },
  ),
  fc.record({ ...base, kind: fc.constant('audit' as const), words: words(10, 100) }),
  fc.record(
    {
      ...base,
      kind: fc.constant('link' as const),
      targetUserId: id(40),
      inspectorId: digits,
      phone: id(24),
      allowedPhones: words(10, 24),
    },
    { requiredKeys: ['v', 'requestId', 'slack', 'requestedAt', 'kind', 'targetUserId', 'inspectorId'] },
  ),
  fc.record({ ...base, kind: fc.constant('unlink' as const), targetUserId: id(40) }),
  fc.record({ ...base, kind: fc.constantFrom('status' as const, 'signout' as const, 'home' as const) }),
);

/** A parse result is either nothing or a job that survives another trip and has a FIFO group. */
function sound(parsed: Job | null): boolean {
  if (parsed === null) return true;
  expect(parseJob(JSON.stringify(parsed))).toEqual(parsed);
  expect(groupIdOf(parsed)).toMatch(/^(inspector|user)-/);
  return true;
}

describe('parseJob', () => {
  it('a job we wrote comes back as it was', () => {
    fc.assert(
      fc.property(job, (j) => {
        expect(parseJob(JSON.stringify(j))).toEqual(j);
      }),
    );
  });

  it('any string: null or a sound job, never a throw', () => {
    fc.assert(fc.property(fc.string({ maxLength: 300 }), (body) => sound(parseJob(body))));
  });

  it('any JSON value: null or a sound job, never a throw', () => {
    fc.assert(fc.property(fc.jsonValue(), (v) => sound(parseJob(JSON.stringify(v)))));
  });

  it('a job with any one field replaced by any JSON value: null or a sound job', () => {
    const mutated = fc.tuple(job, fc.string({ maxLength: 20 }), fc.jsonValue()).map(([j, key, value]) => {
      const raw: Record<string, unknown> = { ...j };
      const keys = Object.keys(raw);
      raw[keys[key.length % keys.length] as string] = value;
      return raw;
    });
    fc.assert(fc.property(mutated, (raw) => sound(parseJob(JSON.stringify(raw)))));
  });

  const good = {
    v: 1,
    kind: 'qc',
    op: 'listen',
    agentId: '2005',
    inspectorId: '1001',
    requestId: 'r1',
    requestedAt: 1,
    slack: { teamId: 'T', userId: 'U', channelId: 'C' },
  };
  it.each([
    ['not JSON', '{'],
    ['JSON null', 'null'],
    ['an array', '[]'],
    ['another version', JSON.stringify({ ...good, v: 2 })],
    ['no requestId', JSON.stringify({ ...good, requestId: '' })],
    ['a requestId too long', JSON.stringify({ ...good, requestId: 'r'.repeat(129) })],
    ['requestedAt as text', JSON.stringify({ ...good, requestedAt: '1' })],
    ['no Slack context', JSON.stringify({ ...good, slack: undefined })],
    ['ackNote not true', JSON.stringify({ ...good, slack: { ...good.slack, ackNote: false } })],
    ['an empty response_url', JSON.stringify({ ...good, slack: { ...good.slack, responseUrl: '' } })],
    ['an unknown operation', JSON.stringify({ ...good, op: 'eavesdrop' })],
    ['release-call as a qc operation', JSON.stringify({ ...good, op: 'release-call' })],
    ['an agent ID of 8 characters', JSON.stringify({ ...good, agentId: '12345678' })],
    ['an agent ID as a number', JSON.stringify({ ...good, agentId: 2005 })],
    ['an alert ID too long', JSON.stringify({ ...good, alertId: 'a'.repeat(65) })],
    ['an unknown kind', JSON.stringify({ ...good, kind: 'reboot' })],
    [
      'permissions not a list',
      JSON.stringify({
        ...good,
        kind: 'permissions',
        targetUserId: 'U2',
        change: 'allow',
        permissions: 'all',
      }),
    ],
    ['an audit of 11 words', JSON.stringify({ ...good, kind: 'audit', words: Array(11).fill('x') })],
    [
      'a link with 11 phones',
      JSON.stringify({ ...good, kind: 'link', targetUserId: 'U2', allowedPhones: Array(11).fill('7') }),
    ],
  ])('%s → null', (_name, body) => {
    expect(parseJob(body)).toBeNull();
  });

  // The worker re-validates every field: agent and inspector IDs are digits (a refusal before the
  // gateway shows the agent ID in Slack text).
  it('a kind that is not a string is refused, never a throw (an object without a primitive value)', () => {
    expect(parseJob(JSON.stringify({ ...good, kind: { toString: {} } }))).toBeNull();
    expect(parseJob(JSON.stringify({ ...good, kind: ['qc'] }))).toBeNull();
  });

  it('a qc job whose agent or inspector ID is not digits is refused', () => {
    expect(parseJob(JSON.stringify({ ...good, inspectorId: '10 1' }))).toBeNull();
    expect(parseJob(JSON.stringify({ ...good, agentId: '<!here>' }))).toBeNull();
  });
});
