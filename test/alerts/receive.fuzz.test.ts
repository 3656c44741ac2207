/**
 * 10,000 random requests against receiveAlert: random bodies, random / forged / stale / missing headers,
 * valid signed alerts, signed garbage, and mutations of valid signed requests. Whatever arrives:
 * no status ≥ 500 except the 503 of a publisher that throws, publish only for a correctly signed valid
 * alert (exactly once then), and the secret in no answer and no log line.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAlert } from '../../src/alerts/payload';
import { AlertChannelError, type AlertDeps, AlertPublishError, receiveAlert } from '../../src/alerts/receive';
import { signAlert } from '../../src/alerts/signature';
import { DEFAULT_MAX_AGENT_ID } from '../../src/gateway/agent-id';
import { captureLogger } from '../helpers/log-capture';
import { fakePublisher } from './fake-publisher';

const SECRET = 'fuzz-alerts-secret-5c1e9a7f3b2d';
const NOW_MS = 1_732_530_000_500;
const NOW_S = Math.floor(NOW_MS / 1000);
const MAX_BYTES = 2048; // small, so the 413 path is hit too

interface Case {
  kind: string;
  /** Signed with the right secret over exactly this body and timestamp, inside the window. */
  authentic: boolean;
  method?: string;
  headers: Record<string, string | undefined>;
  body: string;
}

const text = fc.string({ unit: 'binary', maxLength: 80 });
const validAlert = fc.record(
  {
    channel: fc.constantFrom('C_QC', 'C0123ABCD', 'G0ABC12', 'D_DEMO'),
    agentId: fc.oneof(
      fc.integer({ min: 101, max: 59_999 }),
      fc.integer({ min: 101, max: 59_999 }).map((n) => `#${n}`),
    ),
    reason: fc.string({ minLength: 1, maxLength: 120 }).filter((s) => s.trim() !== ''),
    severity: fc.constantFrom('info', 'warning', 'critical', undefined),
    callId: fc.constantFrom('1456401416-3', 'abc.def@host:1', undefined),
    customer: fc.option(text, { nil: undefined }),
    details: fc.option(fc.string({ maxLength: 300 }), { nil: undefined }),
  },
  { requiredKeys: ['channel', 'agentId', 'reason'] },
);
/** Alert-shaped JSON whose fields may be anything: valid, invalid, absent. */
const alertish = fc.record(
  {
    channel: fc.oneof(fc.constantFrom('C_QC', 'c_qc', '#qc', ''), text, fc.jsonValue()),
    agentId: fc.oneof(fc.integer(), fc.constantFrom('2005', 'abc', '#2005', '60000'), fc.jsonValue()),
    reason: fc.oneof(fc.string({ maxLength: 400 }), fc.jsonValue()),
    severity: fc.oneof(fc.constantFrom('info', 'urgent', 'CRITICAL'), fc.jsonValue()),
    callId: fc.oneof(fc.constantFrom('1456401416-3', '-bad', ''), fc.jsonValue()),
    customer: fc.oneof(fc.string({ maxLength: 120 }), fc.jsonValue()),
    details: fc.oneof(fc.string({ maxLength: 1100 }), fc.jsonValue()),
  },
  { requiredKeys: [] },
);
const anyBody = fc.oneof(
  { weight: 3, arbitrary: validAlert.map((a) => JSON.stringify(a)) },
  { weight: 3, arbitrary: alertish.map((a) => JSON.stringify(a)) },
  { weight: 2, arbitrary: fc.jsonValue().map((v) => JSON.stringify(v) ?? 'null') },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 300 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', minLength: 700, maxLength: 1200 }) }, // often > MAX_BYTES
);
const randomHeaderValue = fc.oneof(
  fc.constant(undefined),
  text,
  fc.string({ unit: fc.constantFrom(...'0123456789abcdefv='), maxLength: 70 }),
  fc.integer({ min: NOW_S - 400, max: NOW_S + 400 }).map(String),
);
const headerName = (name: string) => fc.constantFrom(name, name.toUpperCase(), `X-Qc-${name.slice(5)}`);

/** One character changed, inserted or removed (always a different string). */
const mutate = (s: string) =>
  fc
    .tuple(fc.nat(), fc.constantFrom('change', 'insert', 'remove'), fc.string({ minLength: 1, maxLength: 2 }))
    .map(([at, op, ch]) => {
      const i = s.length === 0 ? 0 : at % s.length;
      let out: string;
      if (op === 'insert' || s.length === 0) out = s.slice(0, i) + ch + s.slice(i);
      else if (op === 'remove') out = s.slice(0, i) + s.slice(i + 1);
      else out = s.slice(0, i) + ch + s.slice(i + 1);
      return out === s ? `${s} ` : out;
    });

const signedHeaders = (tsName: string, sigName: string, ts: number, sig: string) => ({
  [tsName]: String(ts),
  [sigName]: sig,
});

const H_TS = 'x-qc-timestamp';
const H_SIG = 'x-qc-signature';

/** A correctly signed request inside the window (valid alert or not), header names in any case. */
const signedCase = fc
  .tuple(anyBody, fc.integer({ min: -300, max: 300 }), headerName(H_TS), headerName(H_SIG))
  .map(([body, skew, t, s]) => ({
    kind: 'signed',
    authentic: true,
    headers: signedHeaders(t, s, NOW_S + skew, signAlert(SECRET, NOW_S + skew, body)),
    body,
  }));

/** A retry: one of a few fixed signed alerts, so the same signed request comes again (→ 200 duplicate). */
const retryCase = fc.integer({ min: 0, max: 4 }).map((n) => {
  const body = JSON.stringify({ channel: 'C_QC', agentId: 2000 + n, reason: `retry ${n}` });
  return {
    kind: 'retry',
    authentic: true,
    headers: signedHeaders(H_TS, H_SIG, NOW_S, signAlert(SECRET, NOW_S, body)),
    body,
  };
});

/** Random header values, maybe missing. */
const randomHeadersCase = fc.tuple(anyBody, randomHeaderValue, randomHeaderValue).map(([body, ts, sig]) => ({
  kind: 'random-headers',
  authentic: false,
  headers: { [H_TS]: ts, [H_SIG]: sig },
  body,
}));

/** Forged: the right shape, the wrong secret. */
const forgedCase = fc.tuple(anyBody, fc.string({ minLength: 1, maxLength: 40 })).map(([body, wrong]) => ({
  kind: 'forged',
  authentic: wrong === SECRET,
  headers: signedHeaders(H_TS, H_SIG, NOW_S, signAlert(wrong, NOW_S, body)),
  body,
}));

/** Stale or from the future, otherwise correctly signed. */
const staleCase = fc
  .tuple(
    anyBody,
    fc.oneof(fc.integer({ min: 301, max: 10_000_000 }), fc.integer({ min: -10_000_000, max: -301 })),
  )
  .map(([body, skew]) => ({
    kind: 'stale',
    authentic: false,
    headers: signedHeaders(H_TS, H_SIG, NOW_S - skew, signAlert(SECRET, NOW_S - skew, body)),
    body,
  }));

/** A valid signed alert whose body, timestamp or signature is then changed in transit. */
const mutatedCase = validAlert
  .map((a) => JSON.stringify(a))
  .chain((body) => {
    const sig = signAlert(SECRET, NOW_S, body);
    return fc.oneof(
      mutate(body).map((changed) => ({
        kind: 'mutated-body',
        authentic: false,
        headers: signedHeaders(H_TS, H_SIG, NOW_S, sig),
        body: changed,
      })),
      mutate(String(NOW_S)).map((ts) => ({
        kind: 'mutated-ts',
        authentic: false,
        headers: { [H_TS]: ts, [H_SIG]: sig },
        body,
      })),
      mutate(sig).map((changed) => ({
        kind: 'mutated-signature',
        authentic: changed.trim().toLowerCase() === sig, // only hex case or outer spaces keep it authentic
        headers: { [H_TS]: String(NOW_S), [H_SIG]: changed },
        body,
      })),
    );
  });

/** Mostly POST or no method (as from a bare handler); sometimes another method. */
const methodArb = fc.oneof(
  { weight: 17, arbitrary: fc.constantFrom<string | undefined>(undefined, 'POST') },
  { weight: 1, arbitrary: fc.constantFrom('post', 'GET', 'PUT') },
);

const caseArb: fc.Arbitrary<Case> = fc
  .tuple(
    fc.oneof(
      { weight: 4, arbitrary: signedCase },
      { weight: 1, arbitrary: retryCase },
      { weight: 2, arbitrary: randomHeadersCase },
      { weight: 1, arbitrary: forgedCase },
      { weight: 1, arbitrary: staleCase },
      { weight: 3, arbitrary: mutatedCase },
    ),
    methodArb,
  )
  .map(([c, method]) => ({ ...c, method }));

const behaviourArb = fc.constantFrom(
  'ok',
  'ok',
  'ok',
  'publish-error',
  'channel-error',
  'plain-error',
  'thrown-string',
) as fc.Arbitrary<string>;

function failureFor(behaviour: string): unknown {
  switch (behaviour) {
    case 'publish-error':
      return new AlertPublishError('DynamoDB: ProvisionedThroughputExceededException');
    case 'channel-error':
      return new AlertChannelError('not_in_channel');
    case 'plain-error':
      return new TypeError("Cannot read properties of undefined (reading 'ts')");
    case 'thrown-string':
      return 'socket hang up';
    default:
      return undefined;
  }
}

describe('receiveAlert fuzz', () => {
  it('10,000 random requests: no 5xx but a failing publisher’s 503, publish only for authentic valid alerts, no secret out', async () => {
    const publisher = fakePublisher();
    const logger = captureLogger();
    const deps: AlertDeps = {
      secret: SECRET,
      maxAgentId: DEFAULT_MAX_AGENT_ID,
      now: () => NOW_MS,
      logger,
      publisher,
      maxBodyBytes: MAX_BYTES,
    };
    const counts = new Map<string, number>();
    const started = performance.now();

    await fc.assert(
      fc.asyncProperty(caseArb, behaviourArb, async (c, behaviour) => {
        publisher.failWith = failureFor(behaviour);
        const callsBefore = publisher.calls.length;
        const answer = await receiveAlert(deps, { method: c.method, headers: c.headers, body: c.body });
        const published = publisher.calls.length - callsBefore;

        const methodOk = c.method === undefined || c.method.toUpperCase() === 'POST';
        const sizeOk = Buffer.byteLength(c.body) <= MAX_BYTES;
        const valid = parseAlert(c.body, DEFAULT_MAX_AGENT_ID).ok;
        const shouldPublish = methodOk && sizeOk && c.authentic && valid;
        counts.set(`${c.kind} → ${answer.status}`, (counts.get(`${c.kind} → ${answer.status}`) ?? 0) + 1);

        expect(published).toBe(shouldPublish ? 1 : 0);
        if (answer.status >= 500) {
          expect(answer.status).toBe(503);
          expect(shouldPublish && behaviour !== 'ok' && behaviour !== 'channel-error').toBe(true);
        }
        if (!methodOk) expect(answer.status).toBe(405);
        else if (!sizeOk) expect(answer.status).toBe(413);
        else if (!c.authentic) expect(answer.status).toBe(401);
        else if (!valid) expect(answer.status).toBe(400);
        else if (behaviour === 'ok') expect([200, 201]).toContain(answer.status);
        else if (behaviour === 'channel-error') expect(answer.status).toBe(422);
        else expect(answer.status).toBe(503);

        expect(typeof answer.body.ok).toBe('boolean');
        expect(JSON.stringify(answer.body)).not.toContain(SECRET);
      }),
      { numRuns: 10_000, seed: Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31) },
    );

    const seconds = (performance.now() - started) / 1000;
    expect(logger.text()).not.toContain(SECRET);
    // every kind of request and every answer was actually exercised
    const statuses = new Set([...counts.keys()].map((k) => Number(k.split(' → ')[1])));
    for (const status of [200, 201, 400, 401, 405, 413, 422, 503])
      expect(statuses, `status ${status}`).toContain(status);
    console.info(
      `receiveAlert fuzz: 10000 requests in ${seconds.toFixed(2)} s; ${publisher.calls.length} published;`,
      Object.fromEntries([...counts.entries()].sort()),
    );
    expect(seconds).toBeLessThan(20);
  }, 60_000);
});
