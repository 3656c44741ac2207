import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedHeaders, slashCommandBody } from '../../local/slack-sign';
import {
  LOCAL_CHANNEL,
  LOCAL_SIGNING_SECRET,
  LOCAL_TEAM,
  type LocalStack,
  startLocalStack,
} from '../../local/stack';
import { checkAgentId, checkCallId } from '../../src/gateway/agent-id';
import { CONFIRMED_OPERATIONS, QC_OPERATIONS } from '../../src/qc/model';
import { PERMISSIONS } from '../../src/qc/permissions';
import { parseJob } from '../../src/queue/jobs';
import { parseAuditArgs } from '../../src/slack/audit-args';
import { type ParsedCommand, parseInterceptCommand, parseQcCommand } from '../../src/slack/parse';
import { captureLogger } from '../helpers/log-capture';

/**
 * The command parser against anything a person (or a paste) can type: it never throws, always says
 * what it understood or how to fix it, and nothing it accepts is something the gateway would refuse
 * as malformed. Then the same over HTTP against the local stack: always a 200 ack, never a 5xx, and
 * no gateway call for input that is not a command.
 */

const KINDS = new Set<ParsedCommand['kind']>([
  'help',
  'qc',
  'confirm',
  'permissions',
  'who',
  'audit',
  'link',
  'unlink',
  'status',
  'signin',
  'signout',
  'usage',
]);

const WORDS = [
  ...QC_OPERATIONS,
  'switch',
  'release-call',
  'release',
  'allow',
  'deny',
  'who',
  'audit',
  'export',
  'today',
  '7d',
  '30d',
  'help',
  'status',
  'signin',
  'sign-in',
  'login',
  'signout',
  'sign-out',
  'logout',
  'link',
  'unlink',
  'all',
  ...PERMISSIONS,
  'listen,whisper',
  'force,release,',
  'LISTEN',
  'Intercept',
  '@alice',
  '#2005',
  '-',
  '--',
  ':',
  '`',
  '*',
  '<',
  '>',
  '<>',
  '&lt;',
  '🎧',
];

/** Agent-ID-like words: in and out of range, leading zeros, signs, '#', exponents, huge. */
const agentWord = fc.oneof(
  fc.integer({ min: -5, max: 1_200_000 }).map(String),
  fc.constantFrom(
    '2005',
    '02005',
    '#2005',
    '101',
    '100',
    '59999',
    '60000',
    '999999',
    '1000000',
    '0x7d5',
    '2e3',
    '+2005',
    '２００５',
    '2005.0',
    '00000002005',
  ),
);
const userId = fc.oneof(
  fc.constantFrom('U_DEMO', 'U_DEMO2', 'U_ADMIN', 'U_STRANGER', 'W0ABC', 'U1', 'u0abc', 'B0BOT', 'U_'),
  fc.string({ unit: fc.constantFrom(...'UWABC0123_'), minLength: 1, maxLength: 24 }),
);
const mentionWord = fc.oneof(
  userId.map((u) => `<@${u}>`),
  fc.tuple(userId, fc.string({ maxLength: 12 })).map(([u, label]) => `<@${u}|${label}>`),
  // Display names with spaces (one mention, many words) and very long ones.
  fc
    .tuple(
      userId,
      fc.array(fc.string({ unit: fc.constantFrom(...'abcXYZ09 .'), maxLength: 8 }), { maxLength: 14 }),
    )
    .map(([u, parts]) => `<@${u}|${parts.join(' ')}>`),
  fc.tuple(userId, fc.string({ minLength: 90, maxLength: 130 })).map(([u, label]) => `<@${u}|${label}>`),
  fc.constantFrom('<@U_DEMO|demo', '<@>', '<#C_QC|qc>', '<!here>', '<@U_DEMO|a b c d e f g h i j k l>'),
);
const callIdWord = fc.oneof(
  fc
    .tuple(fc.integer({ min: 0, max: 2_000_000_000 }), fc.integer({ min: 0, max: 99_999 }))
    .map(([a, b]) => `${a}-${b}`),
  fc.string({ unit: fc.constantFrom(...'0123456789-_.:@aZ /'), minLength: 1, maxLength: 140 }),
);
const junkWord = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.string({ unit: 'grapheme', maxLength: 8 }),
  fc.string({ minLength: 90, maxLength: 130 }),
);
const word = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(...WORDS) },
  { weight: 4, arbitrary: agentWord },
  { weight: 2, arbitrary: mentionWord },
  { weight: 1, arbitrary: callIdWord },
  { weight: 2, arbitrary: junkWord },
);
const separator = fc.constantFrom(' ', ' ', ' ', '  ', '\t', '\n', '\u00a0', '\u3000', '\u2028', ',');
const words = fc
  .array(fc.tuple(word, separator), { maxLength: 14 })
  .map((parts) => parts.map(([w, s]) => `${w}${s}`).join(''));
/** A subcommand the parser knows, then random arguments: every branch gets exercised. */
const SUBCOMMANDS = [
  ...QC_OPERATIONS,
  'switch',
  'release-call',
  'release',
  'allow',
  'deny',
  'who',
  'audit',
  'link',
  'unlink',
  'help',
];
/** `/qc audit` with valid arguments in any order (the filter often a mention with a spaced label). */
const auditText = fc
  .tuple(
    fc.boolean(),
    fc.option(fc.constantFrom('today', '7d', 'TODAY', '7D')),
    fc.option(fc.oneof(mentionWord, agentWord)),
    fc.nat(),
  )
  .map(([exp, range, filter, seed]) => {
    const parts = [...(exp ? ['export'] : []), ...(range ? [range] : []), ...(filter ? [filter] : [])];
    for (let i = parts.length - 1; i > 0; i--) {
      const j = (seed + i * 7) % (i + 1);
      [parts[i], parts[j]] = [parts[j] as string, parts[i] as string];
    }
    return `audit ${parts.join(' ')}`;
  });
/** A command text: words with separators, sometimes padded, sometimes plain random text. */
const commandText = fc.oneof(
  { weight: 1, arbitrary: auditText },
  { weight: 4, arbitrary: fc.tuple(fc.constantFrom('', ' ', '\n'), words).map(([pad, w]) => `${pad}${w}`) },
  {
    weight: 4,
    arbitrary: fc
      .tuple(fc.constantFrom(...SUBCOMMANDS), separator, words)
      .map(([sub, sep, w]) => `${sub}${sep}${w}`),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 200 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
);
const maxAgentId = fc.constantFrom(59_999, 999_999);

/** Every invariant of a parse result, as an error message (undefined when it holds). */
function check(parsed: ParsedCommand, max: number): string | undefined {
  if (!KINDS.has(parsed.kind)) return `unknown kind ${String(parsed.kind)}`;
  switch (parsed.kind) {
    case 'qc': {
      if (!(QC_OPERATIONS as readonly string[]).includes(parsed.op)) return `unknown op ${parsed.op}`;
      if ((CONFIRMED_OPERATIONS as readonly string[]).includes(parsed.op))
        return `${parsed.op} skipped its confirmation`;
      const agent = checkAgentId(parsed.agentId, max);
      if (!agent.ok || agent.id !== parsed.agentId)
        return `agentId ${parsed.agentId} does not pass checkAgentId`;
      // What the ack path enqueues must pass the worker's own check of the job.
      const job = parseJob(
        JSON.stringify({
          v: 1,
          kind: 'qc',
          op: parsed.op,
          agentId: parsed.agentId,
          inspectorId: '1001',
          requestId: 'r1',
          requestedAt: 1,
          slack: { teamId: 'T', userId: 'U', channelId: 'C' },
        }),
      );
      return job ? undefined : 'the worker would drop this job';
    }
    case 'confirm': {
      if (parsed.op === 'release-call')
        return checkCallId(parsed.target).ok ? undefined : `bad call ID ${parsed.target}`;
      if (!(CONFIRMED_OPERATIONS as readonly string[]).includes(parsed.op))
        return `${parsed.op} needs no confirmation`;
      const agent = checkAgentId(parsed.target, max);
      return agent.ok && agent.id === parsed.target ? undefined : `bad confirm target ${parsed.target}`;
    }
    case 'usage':
      if (typeof parsed.problem !== 'string' || parsed.problem === '') return 'usage without a problem';
      if (typeof parsed.usage !== 'string' || !parsed.usage.startsWith('/')) return 'usage without usage';
      if (typeof parsed.example !== 'string' || !parsed.example.startsWith('/'))
        return 'usage without an example';
      return undefined;
    case 'permissions':
      if (!/^[UW][A-Z0-9_]{2,20}$/.test(parsed.userId)) return `bad user ${parsed.userId}`;
      if (parsed.permissions.length === 0) return 'no permissions';
      return parsed.permissions.every((p) => (PERMISSIONS as readonly string[]).includes(p))
        ? undefined
        : 'unknown permission';
    case 'who':
      if (parsed.agentId === undefined) return undefined;
      return checkAgentId(parsed.agentId, max).ok ? undefined : `bad who agent ${parsed.agentId}`;
    case 'audit': {
      if (parsed.words.length > 10 || parsed.words.some((w) => w.length > 100))
        return 'audit words too long for a job';
      // The worker parses the words again: what the ack accepted, the worker must accept too.
      const again = parseAuditArgs(parsed.words, max);
      return again.ok ? undefined : `the worker would refuse the audit words: ${again.problem}`;
    }
    case 'link':
      if (!checkAgentId(parsed.inspectorId, max).ok) return `bad inspector ${parsed.inspectorId}`;
      return /^[UW][A-Z0-9_]{2,20}$/.test(parsed.userId) ? undefined : `bad user ${parsed.userId}`;
    case 'unlink':
      return /^[UW][A-Z0-9_]{2,20}$/.test(parsed.userId) ? undefined : `bad user ${parsed.userId}`;
    default:
      return undefined;
  }
}

describe('parseQcCommand and parseInterceptCommand under random input', () => {
  it('/qc: never throws, always a known kind, every accepted command is well formed (10,000 texts)', () => {
    fc.assert(
      fc.property(commandText, maxAgentId, (text, max) => {
        const parsed = parseQcCommand(text, max);
        const problem = check(parsed, max);
        if (problem) throw new Error(`${JSON.stringify(text)} → ${JSON.stringify(parsed)}: ${problem}`);
      }),
      { numRuns: 10_000 },
    );
  });

  it('/intercept: never throws; help, intercept of a valid agent, or usage (10,000 texts)', () => {
    fc.assert(
      fc.property(commandText, maxAgentId, (text, max) => {
        const parsed = parseInterceptCommand(text, max);
        const problem = check(parsed, max);
        if (problem) throw new Error(`${JSON.stringify(text)} → ${JSON.stringify(parsed)}: ${problem}`);
        if (!['help', 'qc', 'usage'].includes(parsed.kind)) throw new Error(`/intercept gave ${parsed.kind}`);
        if (parsed.kind === 'qc' && parsed.op !== 'intercept')
          throw new Error(`/intercept gave ${parsed.op}`);
      }),
      { numRuns: 10_000 },
    );
  });

  it('audit with a mention whose label has many words or is long: the worker gets what the ack understood', () => {
    for (const [text, args] of [
      [
        'audit export <@U_DEMO|Mary Ann de la Cruz y Lopez Smith> 7d',
        { export: true, range: '7d', filter: { userId: 'U_DEMO' } },
      ],
      [
        `audit <@U_DEMO2|${'x'.repeat(120)}>`,
        { export: false, range: 'today', filter: { userId: 'U_DEMO2' } },
      ],
      ['audit #2005 7d', { export: false, range: '7d', filter: { agentId: '2005' } }],
    ] as const) {
      const parsed = parseQcCommand(text, 59_999);
      if (parsed.kind !== 'audit') throw new Error(`${text} → ${parsed.kind}`);
      expect(parseAuditArgs(parsed.words, 59_999), text).toEqual({ ok: true, args });
    }
  });

  it('the same text with the agent ID written differently parses to the same canonical ID', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 101, max: 59_999 }),
        fc.nat({ max: 3 }),
        fc.boolean(),
        (n, zeros, hash) => {
          // At most 7 digits in all (checkAgentId's limit).
          const written = `${hash ? '#' : ''}${'0'.repeat(Math.min(zeros, 7 - String(n).length))}${n}`;
          expect(parseQcCommand(`listen ${written}`, 59_999)).toEqual({
            kind: 'qc',
            op: 'listen',
            agentId: String(n),
          });
          expect(parseInterceptCommand(` ${written} `, 59_999)).toEqual({
            kind: 'qc',
            op: 'intercept',
            agentId: String(n),
          });
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('random /qc texts over HTTP to the local stack', () => {
  const logs = captureLogger();
  let stack: LocalStack;

  beforeAll(async () => {
    stack = await startLocalStack({
      simulator: { pollHoldMs: 100 },
      keeper: { rescanMs: 100 },
      logger: logs,
    });
  });
  afterAll(async () => {
    await stack?.close();
  });

  async function send(text: string) {
    const body = slashCommandBody({
      command: '/qc',
      text,
      userId: 'U_DEMO',
      teamId: LOCAL_TEAM,
      channelId: LOCAL_CHANNEL,
      responseUrl: stack.slack.newResponseUrl({ channel: LOCAL_CHANNEL, user: 'U_DEMO' }),
    });
    const res = await fetch(`${stack.url}/slack/events`, {
      method: 'POST',
      headers: signedHeaders(LOCAL_SIGNING_SECRET, body),
      body,
    });
    return { status: res.status, text: await res.text() };
  }

  it('always a 200 ack, never a 5xx; invalid input is never queued; no gateway call at all (300 texts)', async () => {
    // U_DEMO is linked but not signed in: whatever the text asks, the gateway must not be called.
    const gatewayBefore = stack.sim?.sim.requestLog.length ?? 0;
    await fc.assert(
      fc.asyncProperty(commandText, async (text) => {
        const parsed = parseQcCommand(text, 59_999);
        const sent = stack.queue.sent;
        const ack = await send(text);
        expect(ack.status, JSON.stringify(text)).toBe(200);
        if (
          parsed.kind === 'usage' ||
          parsed.kind === 'help' ||
          parsed.kind === 'confirm' ||
          parsed.kind === 'signin'
        ) {
          expect(stack.queue.sent, JSON.stringify(text)).toBe(sent);
        }
        if (parsed.kind === 'usage') expect(ack.text, JSON.stringify(text)).toMatch(/Usage|usage/);
      }),
      { numRuns: 300 },
    );
    await stack.queue.drained();
    expect(stack.sim?.sim.requestLog.length ?? 0).toBe(gatewayBefore);
    // Nothing was posted in the channel for everyone: refusals and answers are ephemeral.
    expect(stack.slack.store.channelMessages(LOCAL_CHANNEL)).toEqual([]);
    expect(logs.text()).not.toMatch(
      /"command failed"|"job failed"|"button failed"|local server request failed/,
    );
  }, 60_000);
});
