import { describe, expect, it } from 'vitest';
import {
  AlertChannelError,
  AlertContentError,
  type AlertDeps,
  AlertPublishError,
  receiveAlert,
} from '../../src/alerts/receive';
import { signAlert } from '../../src/alerts/signature';
import { DEFAULT_MAX_AGENT_ID } from '../../src/gateway/agent-id';
import { captureLogger } from '../helpers/log-capture';
import { fakePublisher } from './fake-publisher';

const SECRET = 'receive-test-secret-9b2e47d1a0';
const NOW_MS = 1_732_530_000_000;
const TS = NOW_MS / 1000;
const ALERT = {
  channel: 'C_QC',
  agentId: 2005,
  reason: 'Customer asked for a supervisor',
  severity: 'critical',
};

function setup(over: Partial<AlertDeps> & { failWith?: unknown } = {}) {
  const publisher = fakePublisher({ failWith: over.failWith });
  const logger = captureLogger();
  const deps: AlertDeps = {
    secret: SECRET,
    maxAgentId: DEFAULT_MAX_AGENT_ID,
    now: () => NOW_MS,
    logger,
    publisher,
    ...over,
  };
  return { deps, publisher, logger };
}

function signed(body: string, opts: { ts?: number; secret?: string } = {}) {
  const ts = opts.ts ?? TS;
  return {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-qc-timestamp': String(ts),
      'x-qc-signature': signAlert(opts.secret ?? SECRET, ts, body),
    },
    body,
  };
}

describe('receiveAlert', () => {
  it('201: a signed valid alert is published once, with the signature as dedupeKey', async () => {
    const { deps, publisher, logger } = setup();
    const req = signed(JSON.stringify(ALERT));
    const answer = await receiveAlert(deps, req);
    expect(answer).toEqual({
      status: 201,
      body: { ok: true, alert_id: 'A1', channel: 'C_QC', ts: '1732530000.000001' },
    });
    expect(publisher.calls).toEqual([
      {
        alert: {
          channel: 'C_QC',
          agentId: '2005',
          reason: 'Customer asked for a supervisor',
          severity: 'critical',
        },
        dedupeKey: req.headers['x-qc-signature'],
      },
    ]);
    expect(logger.text()).toContain('alert posted');
  });

  it('200 duplicate: the same signed request again answers the first post', async () => {
    const { deps, publisher } = setup();
    const req = signed(JSON.stringify(ALERT));
    await receiveAlert(deps, req);
    const again = await receiveAlert(deps, req);
    expect(again).toEqual({
      status: 200,
      body: { ok: true, alert_id: 'A1', channel: 'C_QC', ts: '1732530000.000001', duplicate: true },
    });
    expect(publisher.calls.map((c) => c.dedupeKey)).toEqual([
      req.headers['x-qc-signature'],
      req.headers['x-qc-signature'],
    ]);
    // the same alert signed a second later is a new request, hence a new alert
    const later = await receiveAlert(deps, signed(req.body, { ts: TS + 1 }));
    expect(later.status).toBe(201);
  });

  it('dedupes on the signature whatever the hex case', async () => {
    const { deps, publisher } = setup();
    const req = signed(JSON.stringify(ALERT));
    const upper = {
      ...req,
      headers: {
        ...req.headers,
        'x-qc-signature': `v1=${req.headers['x-qc-signature'].slice(3).toUpperCase()}`,
      },
    };
    expect((await receiveAlert(deps, req)).status).toBe(201);
    expect((await receiveAlert(deps, upper)).status).toBe(200);
    expect(new Set(publisher.calls.map((c) => c.dedupeKey)).size).toBe(1);
  });

  it('reads header names case-insensitively', async () => {
    const { deps } = setup();
    const req = signed(JSON.stringify(ALERT));
    const answer = await receiveAlert(deps, {
      body: req.body,
      headers: {
        'X-QC-Timestamp': req.headers['x-qc-timestamp'],
        'X-Qc-Signature': req.headers['x-qc-signature'],
      },
    });
    expect(answer.status).toBe(201);
  });

  it('413 before anything else: a body over maxBodyBytes, signed or not', async () => {
    const { deps, publisher, logger } = setup();
    const big = JSON.stringify({ ...ALERT, details: 'x'.repeat(20_000) });
    for (const req of [signed(big), { headers: {}, body: big }]) {
      const answer = await receiveAlert(deps, req);
      expect(answer.status).toBe(413);
      expect(answer.body).toMatchObject({ ok: false, error: 'too_large' });
      expect(answer.body.message).toMatch(/at most 16384 bytes/);
    }
    // counted in UTF-8 bytes, and the limit is configurable
    const small = setup({ maxBodyBytes: 10 });
    expect((await receiveAlert(small.deps, { headers: {}, body: 'éééééé' })).status).toBe(413);
    expect((await receiveAlert(small.deps, { headers: {}, body: 'ééééé' })).status).toBe(401);
    expect(publisher.calls).toHaveLength(0);
    expect(logger.text()).not.toContain(SECRET);
  });

  it('401: unsigned, forged, stale, future, tampered — nothing published, a warning logged without the secret', async () => {
    const { deps, publisher, logger } = setup();
    const body = JSON.stringify(ALERT);
    const good = signed(body);
    const cases: Array<[string, { headers: Record<string, string | undefined>; body: string }, RegExp]> = [
      ['no headers', { headers: {}, body }, /x-qc-timestamp header is missing/],
      [
        'no signature',
        { headers: { 'x-qc-timestamp': String(TS) }, body },
        /x-qc-signature header is missing/,
      ],
      ['forged', signed(body, { secret: 'not-the-secret' }), /does not match/],
      ['stale', signed(body, { ts: TS - 301 }), /301 s in the past/],
      ['future', signed(body, { ts: TS + 301 }), /301 s in the future/],
      ['tampered body', { ...good, body: body.replace('2005', '2006') }, /does not match/],
      [
        'tampered ts',
        { ...good, headers: { ...good.headers, 'x-qc-timestamp': String(TS - 1) } },
        /does not match/,
      ],
      [
        'v0',
        {
          ...good,
          headers: {
            ...good.headers,
            'x-qc-signature': good.headers['x-qc-signature'].replace('v1=', 'v0='),
          },
        },
        /must start with "v1="/,
      ],
      ['short', { ...good, headers: { ...good.headers, 'x-qc-signature': 'v1=abc' } }, /64 hex digits/],
    ];
    for (const [name, req, reason] of cases) {
      const answer = await receiveAlert(deps, req);
      expect(answer.status, name).toBe(401);
      expect(answer.body, name).toMatchObject({ ok: false, error: 'unauthorized' });
      expect(answer.body.message, name).toMatch(reason);
    }
    expect(publisher.calls).toHaveLength(0);
    const warnings = logger.lines
      .map((l) => JSON.parse(l) as { level: string; msg: string })
      .filter((l) => l.level === 'warn');
    expect(warnings).toHaveLength(cases.length);
    expect(warnings[0]?.msg).toBe('alert refused: signature not verified');
    expect(logger.text()).not.toContain(SECRET);
  });

  it('401 for everything when the server has no secret', async () => {
    const { deps, publisher } = setup({ secret: '' });
    const answer = await receiveAlert(deps, signed(JSON.stringify(ALERT), { secret: '' }));
    expect(answer.status).toBe(401);
    expect(publisher.calls).toHaveLength(0);
  });

  it('400: a signed but invalid alert names the field; nothing published', async () => {
    const { deps, publisher } = setup();
    const answer = await receiveAlert(deps, signed(JSON.stringify({ ...ALERT, agentId: 'abc' })));
    expect(answer).toEqual({
      status: 400,
      body: {
        ok: false,
        error: 'invalid_alert',
        field: 'agentId',
        message: 'agentId: "abc" is not an agent ID (digits only)',
      },
    });
    expect((await receiveAlert(deps, signed('not json'))).body).toMatchObject({
      error: 'invalid_alert',
      field: 'body',
    });
    expect((await receiveAlert(deps, signed(''))).status).toBe(400);
    expect(publisher.calls).toHaveLength(0);
  });

  it('uses maxAgentId from the deps', async () => {
    const body = JSON.stringify({ ...ALERT, agentId: 250000 });
    expect((await receiveAlert(setup().deps, signed(body))).body).toMatchObject({ field: 'agentId' });
    expect((await receiveAlert(setup({ maxAgentId: 999_999 }).deps, signed(body))).status).toBe(201);
  });

  it('422: the bot is not in the channel — tells to invite it', async () => {
    for (const code of ['not_in_channel', 'channel_not_found', 'is_archived']) {
      const { deps, logger } = setup({ failWith: new AlertChannelError(code) });
      const answer = await receiveAlert(deps, signed(JSON.stringify(ALERT)));
      expect(answer.status).toBe(422);
      expect(answer.body).toMatchObject({ ok: false, error: 'channel_unreachable' });
      expect(answer.body.message).toContain(code);
      expect(answer.body.message).toContain('C_QC');
      if (code !== 'is_archived') expect(answer.body.message).toContain('/invite @qc-slack');
      expect(logger.text()).toContain(code);
    }
  });

  it('422 not_postable: Slack refused the content — a 4xx, so the sender does not retry an alert that can never post', async () => {
    for (const code of ['invalid_blocks', 'msg_too_long', 'msg_blocks_too_long']) {
      const { deps, logger } = setup({ failWith: new AlertContentError(code) });
      const answer = await receiveAlert(deps, signed(JSON.stringify(ALERT)));
      expect(answer.status).toBe(422);
      expect(answer.body).toMatchObject({ ok: false, error: 'not_postable' });
      expect(answer.body.message).toContain(code);
      expect(answer.body.message).not.toMatch(/try again/);
      expect(logger.text()).toContain(code);
    }
  });

  it('503: the publisher failed (AlertPublishError, any Error, a thrown non-Error) — logged, try again', async () => {
    for (const failWith of [
      new AlertPublishError('DynamoDB throttled'),
      new Error(`boom with ${SECRET} in it`),
      'a string',
      { weird: true },
    ]) {
      const { deps, logger } = setup({ failWith });
      const answer = await receiveAlert(deps, signed(JSON.stringify(ALERT)));
      expect(answer).toEqual({
        status: 503,
        body: {
          ok: false,
          error: 'unavailable',
          message: 'the alert could not be posted just now; try again',
        },
      });
      const errors = logger.lines.filter((l) => l.includes('"level":"error"'));
      expect(errors).toHaveLength(1);
      expect(logger.text()).not.toContain(SECRET);
    }
  });

  it('405 for a method other than POST; no method given is taken as POST', async () => {
    const { deps, publisher } = setup();
    const req = signed(JSON.stringify(ALERT));
    expect((await receiveAlert(deps, { ...req, method: 'GET' })).status).toBe(405);
    expect((await receiveAlert(deps, { ...req, method: 'post' })).status).toBe(201);
    expect(publisher.calls).toHaveLength(1);
  });

  it('a throwing clock gives 503 rather than a throw; a throwing logger changes no answer', async () => {
    const clock = setup({
      now: () => {
        throw new Error('clock broke');
      },
    });
    expect((await receiveAlert(clock.deps, signed(JSON.stringify(ALERT)))).status).toBe(503);
    const throwing = () => {
      throw new Error('logger broke');
    };
    const noisy = setup({ logger: { debug: throwing, info: throwing, warn: throwing, error: throwing } });
    expect((await receiveAlert(noisy.deps, { headers: {}, body: '{}' })).status).toBe(401);
    expect((await receiveAlert(noisy.deps, signed('{}'))).status).toBe(400);
    expect((await receiveAlert(noisy.deps, signed(JSON.stringify(ALERT)))).status).toBe(201);
    noisy.publisher.failWith = new AlertPublishError('down');
    expect((await receiveAlert(noisy.deps, signed(JSON.stringify(ALERT), { ts: TS - 1 }))).status).toBe(503);
  });

  it('survives malformed request objects', async () => {
    const { deps, publisher } = setup();
    const weird = [
      { headers: undefined, body: '{}' },
      { headers: null, body: undefined },
      { headers: { 'x-qc-timestamp': ['1', '2'], 'x-qc-signature': 42 }, body: 17 },
    ] as unknown as Array<Parameters<typeof receiveAlert>[1]>;
    for (const req of weird) {
      const answer = await receiveAlert(deps, req);
      expect(answer.status).toBe(401);
    }
    expect(publisher.calls).toHaveLength(0);
  });

  it('never puts the secret in an answer', async () => {
    const { deps, logger } = setup();
    const answers = await Promise.all([
      receiveAlert(deps, signed(JSON.stringify(ALERT))),
      receiveAlert(deps, signed(JSON.stringify(ALERT), { secret: 'wrong' })),
      receiveAlert(deps, signed(JSON.stringify({ ...ALERT, reason: 5 }))),
    ]);
    for (const a of answers) expect(JSON.stringify(a)).not.toContain(SECRET);
    expect(logger.text()).not.toContain(SECRET);
  });
});
