import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  FakeClock,
  type RunningSimulator,
  type SimulatorOptions,
  startSimulator,
} from '../../simulator/index';
import {
  GatewayBadResponseError,
  GatewayClient,
  GatewayConnectionError,
  type GatewayEvent,
  GatewayHttpStatusError,
  GatewayInputError,
  type GatewayOutcome,
  type GatewaySession,
  GatewayTimeoutError,
  GatewayTlsError,
  parsePushBody,
  Secret,
  type SignInData,
} from '../../src/gateway';
import { captureLogger } from '../helpers/log-capture';

/**
 * What our client sends, the simulator accepts; what the simulator answers, our client parses — on every
 * simulator profile (issue 11 item 6): the documented gateway, the 2018 route table, a sticky load balancer
 * (the client with CCGW_STICKY_COOKIES), and a gateway that does not hold empty polls.
 */
interface Profile {
  name: string;
  options: SimulatorOptions;
  stickyCookies: boolean;
  /** Cases the client cannot pass on this profile yet: case key → the missing client behaviour. */
  todo: Partial<Record<CaseKey, string>>;
}
type CaseKey = 'intercept-call-id' | 'handshake';

const PROFILES: Profile[] = [
  { name: 'default', options: {}, stickyCookies: false, todo: {} },
  {
    name: 'legacy',
    options: { profile: 'legacy' },
    stickyCookies: false,
    todo: {},
  },
  { name: 'elb-cookie', options: { elbCookie: true }, stickyCookies: true, todo: {} },
  { name: 'poll-hold-ms 0', options: { pollHoldMs: 0 }, stickyCookies: false, todo: {} },
];

describe.each(PROFILES)('profile $name', (profile) => {
  /** `it`, or `it.skip` naming the missing client behaviour when this profile needs it. */
  const caseFor = (key: CaseKey) => {
    const missing = profile.todo[key];
    return missing
      ? (name: string, fn: () => Promise<void>) => it.skip(`${name} [needs ${missing}]`, fn)
      : it;
  };

  const PASSWORD = 'simulator';
  let sim: RunningSimulator;
  let clock: FakeClock;
  let client: GatewayClient;
  const logs = captureLogger();

  function ok<T>(outcome: GatewayOutcome<T>): T {
    if (!outcome.ok)
      throw new Error(`expected success, got ${outcome.retcode}: ${outcome.explanation.meaning}`);
    return outcome.data;
  }

  async function signIn(agentId = '1001'): Promise<GatewaySession> {
    return sessionOf(
      agentId,
      await client.signIn(agentId, { password: PASSWORD, phone: `7${agentId.padStart(4, '0')}` }),
    );
  }

  /** The session a sign-in outcome gives, with the sticky cookie when the gateway set one. */
  function sessionOf(agentId: string, out: GatewayOutcome<SignInData>): GatewaySession {
    const data = ok(out);
    return { agentId, guid: data.guid, ...(out.cookie ? { cookie: out.cookie } : {}) };
  }

  /** Poll until no event is left (the simulator's hold is short in tests); returns the event types. */
  async function drain(session: GatewaySession): Promise<GatewayEvent[]> {
    const events: GatewayEvent[] = [];
    for (let i = 0; i < 50; i++) {
      const out = await client.pollEvent(session);
      if (out.newGuid) session.guid = out.newGuid;
      const { event } = ok(out);
      if (!event) return events;
      events.push(event);
    }
    throw new Error('event queue never drained');
  }

  beforeAll(async () => {
    clock = new FakeClock(Date.UTC(2026, 10, 25, 9, 0, 0));
    sim = await startSimulator({ clock, pollHoldMs: 30, quiet: true, ...profile.options });
  });

  afterAll(async () => {
    await sim.close();
  });

  beforeEach(() => {
    sim.sim.reset();
    client = new GatewayClient({
      baseUrl: sim.url,
      caPem: sim.caPem,
      stickyCookies: profile.stickyCookies,
      logger: logs,
      requestTimeoutMs: 1_000,
      pollTimeoutMs: 2_000,
      readRetries: 1,
      readRetryMinDelayMs: 10,
    });
  });

  afterEach(async () => {
    await client.destroy();
  });

  describe('sign-in and session over HTTPS', () => {
    it('signs in, takes the Guid from Set-GUID without JSESSIONID=, and reports the VDN', async () => {
      const out = await client.signIn('1001', { password: PASSWORD, phone: '70001' });
      const data = ok(out);
      expect(data.guid.reveal()).toBe(sim.sim.currentGuid('1001'));
      expect(data.guid.reveal()).not.toMatch(/^JSESSIONID=/);
      expect(data.vdnId).toBe(1);
      const events = await drain(sessionOf('1001', out));
      expect(events.map((e) => e.type)).toEqual(['AgentOther_InService', 'AgentState_Ready']);
    });

    it('explains 100-002 and then forced sign-in kicks the old session', async () => {
      const first = await signIn();
      const again = await client.signIn('1001', { password: PASSWORD, phone: '70001' });
      expect(again.ok).toBe(false);
      if (!again.ok) expect(again.explanation.nextStep).toMatch(/forced sign-in/);
      const forced = ok(await client.forceSignIn('1001', { password: PASSWORD, phone: '70001' }));
      expect(forced.guid.equals(first.guid)).toBe(false);
      const old = await client.agentStatus(first);
      expect(old).toMatchObject({ ok: false, retcode: '100-006' });
    });

    it('wrong password → 100-004', async () => {
      const out = await client.signIn('1001', { password: 'wrong', phone: '70001' });
      expect(out).toMatchObject({ ok: false, retcode: '100-004', explanation: { kind: 'signin' } });
    });

    it('reads its own status, signs out, and is then refused', async () => {
      const s = await signIn();
      expect(ok(await client.agentStatus(s))).toEqual({ agentState: 4, isWorking: false });
      ok(await client.signOut(s));
      expect(await client.agentStatus(s)).toMatchObject({ ok: false, retcode: '100-006' });
    });

    it('forced sign-out of self works and the Guid dies', async () => {
      const s = await signIn();
      ok(await client.forceSignOut(s));
      expect(await client.listen(s, '2005')).toMatchObject({
        ok: false,
        retcode: '100-006',
        explanation: { sessionEnded: true },
      });
    });

    it('a wrong or missing Guid → 100-006 with "sign in again"', async () => {
      await signIn();
      const out = await client.listen(
        { agentId: '1001', guid: new Secret('00000000-0000-0000-0000-000000000000.AgentGateway0') },
        '2005',
      );
      expect(out).toMatchObject({ ok: false, retcode: '100-006' });
      if (!out.ok) expect(out.explanation.nextStep).toMatch(/sign in again/i);
    });
  });

  describe('dynamic Guid rotation (AUTHMODE 2) with the fake clock', () => {
    it('follows the Guid across several rotations; an old Guid dies 120 s after issue', async () => {
      const s = await signIn();
      await drain(s);
      const seen = [s.guid.reveal()];
      for (let round = 0; round < 4; round++) {
        clock.advance(61_000);
        const before = s.guid;
        const out = await client.pollEvent(s);
        expect(out.newGuid, `round ${round}`).toBeDefined();
        if (out.newGuid) s.guid = out.newGuid;
        expect(s.guid.equals(before)).toBe(false);
        expect(s.guid.reveal()).toBe(sim.sim.currentGuid('1001'));
        seen.push(s.guid.reveal());
      }
      expect(new Set(seen).size).toBe(5);
      // The newest works; the first one is long dead.
      ok(await client.agentStatus(s));
      const first = seen[0] as string;
      expect(await client.agentStatus({ ...s, guid: new Secret(first) })).toMatchObject({
        retcode: '100-006',
      });
    });

    it('the previous Guid still works until 120 s after its issue', async () => {
      const s = await signIn();
      const original = s.guid;
      clock.advance(61_000);
      const out = await client.pollEvent(s);
      expect(out.newGuid).toBeDefined();
      ok(await client.agentStatus({ ...s, guid: original }));
      clock.advance(60_000);
      expect(await client.agentStatus({ ...s, guid: original })).toMatchObject({
        retcode: '100-006',
      });
    });

    it('no poll for 2 minutes → signed out, AgentOther_ShutdownService, then 100-006', async () => {
      const s = await signIn();
      await drain(s);
      sim.sim.advance(121_000);
      const out = await client.pollEvent(s);
      expect(ok(out).event?.type).toBe('AgentOther_ShutdownService');
      expect(await client.pollEvent(s)).toMatchObject({ ok: false, retcode: '100-006' });
    });
  });

  describe('static Guid (AUTHMODE 1)', () => {
    it('never rotates', async () => {
      const staticSim = await startSimulator({
        clock: new FakeClock(0),
        pollHoldMs: 20,
        quiet: true,
        ...profile.options,
        authMode: 1,
      });
      const c = new GatewayClient({
        baseUrl: staticSim.url,
        caPem: staticSim.caPem,
        stickyCookies: profile.stickyCookies,
      });
      try {
        const s = sessionOf('1001', await c.signIn('1001', { password: PASSWORD }));
        for (let i = 0; i < 3; i++) {
          staticSim.sim.advance(61_000);
          const out = await c.pollEvent(s);
          expect(out.newGuid).toBeUndefined();
          expect(out.ok).toBe(true);
        }
      } finally {
        await c.destroy();
        await staticSim.close();
      }
    });
  });

  describe('quality control', () => {
    it('listen → inspector events → intercept → Talking and Record', async () => {
      const s = await signIn();
      await drain(s);
      ok(await client.listen(s, '2005'));
      expect((await drain(s)).map((e) => e.type)).toEqual([
        'AgentState_Busy',
        'AgentOther_PhoneAlerting',
        'AgentOther_PhoneOffhook',
      ]);
      ok(await client.intercept(s, '2005'));
      const events = await drain(s);
      expect(events.map((e) => e.type)).toEqual(['AgentEvent_Talking', 'AgentMediaEvent_Record']);
      const [talking, record] = events as [GatewayEvent, GatewayEvent];
      expect(talking.content).toMatchObject({
        callid: expect.any(String),
        caller: expect.any(String),
        called: expect.any(String),
      });
      expect(record.content).toMatchObject({ recordID: expect.any(String), fileName: expect.any(String) });
      expect(ok(await client.agentStatus(s))).toEqual({ agentState: 7, isWorking: true });
    });

    it('insert, switch listen⇄insert, switch to whisper, stop whisper', async () => {
      const s = await signIn();
      ok(await client.insert(s, '2005'));
      ok(await client.switchListenInsert(s, '2005'));
      ok(await client.switchMode(s, '2005', 'whisper'));
      ok(await client.stopWhisper(s, '2005'));
    });

    caseFor('intercept-call-id')('whisper then cancel; intercept of a given call id', async () => {
      const s = await signIn();
      ok(await client.whisper(s, '2006'));
      ok(await client.cancelMonitor(s, '2006'));
      await drain(s);
      const { callId } = sim.sim.startCall('2007');
      ok(await client.listen(s, '2007'));
      if (profile.name === 'legacy') {
        // No intercept by call ID on the 2018 route table: the 404 did nothing, so the client
        // intercepts by agent ID instead, and from then on at once (one 404 in all).
        ok(await client.intercept(s, '2007', callId));
        expect(client.fallbacks).toEqual(['no-intercept-by-call']);
        const byCall = sim.sim.requestLog.filter(
          (r) => r.path.includes('/intercept/2007/') && r.status === 404,
        );
        expect(byCall).toHaveLength(1);
        return;
      }
      expect(await client.intercept(s, '2007', 'not-the-call-1')).toMatchObject({
        ok: false,
        retcode: '900-005',
      });
      ok(await client.intercept(s, '2007', callId));
      expect(client.fallbacks).toEqual([]);
    });

    it('force busy / idle / sign-out of an agent, and force-release a call', async () => {
      const s = await signIn();
      ok(await client.forceBusy(s, '2010'));
      ok(await client.forceIdle(s, '2010'));
      ok(await client.forceSignOutAgent(s, '2011'));
      expect(await client.forceBusy(s, '2011')).toMatchObject({ ok: false, retcode: '900-004' });
      const { callId } = sim.sim.startCall('2012');
      ok(await client.forceReleaseCall(s, callId));
    });

    it('the error codes a supervisor meets', async () => {
      const s = await signIn();
      expect(await client.intercept(s, '2005')).toMatchObject({ ok: false, retcode: '900-005' });
      expect(await client.listen(s, '1001')).toMatchObject({ ok: false, retcode: '000-005' });
      expect(await client.listen(s, '3001')).toMatchObject({ ok: false, retcode: '900-004' });
      expect(await client.listen(s, '4999')).toMatchObject({ ok: false, retcode: '900-004' });
      expect(await client.listen(s, '2001')).toMatchObject({ ok: false, retcode: '900-005' });
      const noQc = sessionOf('1002', await client.signIn('1002', { password: PASSWORD }));
      const denied = await client.listen(noQc, '2005');
      expect(denied).toMatchObject({ ok: false, retcode: '900-002' });
      if (!denied.ok) expect(denied.explanation.meaning).toMatch(/no QC permission on the CTI platform/);
      ok(await client.listen(s, '2005'));
      expect(await client.listen(s, '2006')).toMatchObject({ ok: false, retcode: '900-005' });
    });

    it('platform faults 900-001 / 900-003 read as "try again"', async () => {
      const s = await signIn();
      sim.sim.injectFault({ interface: 'intercept', kind: 'retcode', retcode: '900-003' });
      sim.sim.injectFault({ interface: 'addSupervise', kind: 'retcode', retcode: '900-001' });
      const listen = await client.listen(s, '2005');
      expect(listen).toMatchObject({
        ok: false,
        retcode: '900-001',
        explanation: { kind: 'platform', retryable: true },
      });
      ok(await client.listen(s, '2005'));
      expect(await client.intercept(s, '2005')).toMatchObject({ ok: false, retcode: '900-003' });
    });
  });

  describe('input never reaches the network', () => {
    it('invalid agent IDs and call IDs are refused before any request', async () => {
      const s = await signIn();
      const before = sim.sim.requestLog.length;
      for (const bad of ['', '100', '60000', '20 05', '2005; rm', '../2005', '#2005']) {
        await expect(client.intercept(s, bad), bad).rejects.toBeInstanceOf(GatewayInputError);
      }
      await expect(client.listen({ agentId: 'x', guid: s.guid }, '2005')).rejects.toBeInstanceOf(
        GatewayInputError,
      );
      await expect(client.forceReleaseCall(s, '../x')).rejects.toBeInstanceOf(GatewayInputError);
      await expect(
        client.listen({ agentId: '1001', guid: new Secret('bad guid\r\n') }, '2005'),
      ).rejects.toBeInstanceOf(GatewayInputError);
      expect(sim.sim.requestLog.length).toBe(before);
    });
  });

  describe('transport failures are typed and QC is never retried', () => {
    const count = (logName: string) => sim.sim.requestLog.filter((r) => r.logName === logName).length;

    it('timeout (hang) on intercept: one request, GatewayTimeoutError that may have applied', async () => {
      const s = await signIn();
      ok(await client.listen(s, '2005'));
      sim.sim.injectFault({ interface: 'intercept', kind: 'hang' });
      const err = await client.intercept(s, '2005').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(GatewayTimeoutError);
      expect((err as GatewayTimeoutError).mayHaveApplied).toBe(true);
      expect((err as GatewayTimeoutError).explanation).toMatch(/did not answer within 1 s/);
      expect(count('intercept')).toBe(1);
    });

    it('connection reset on a QC call: typed, not retried', async () => {
      const s = await signIn();
      sim.sim.injectFault({ interface: 'addSupervise', kind: 'reset' });
      await expect(client.listen(s, '2005')).rejects.toBeInstanceOf(GatewayConnectionError);
      expect(count('addSupervise')).toBe(1);
    });

    it('HTTP 503 and invalid JSON are distinct errors', async () => {
      const s = await signIn();
      sim.sim.injectFault({ interface: 'addSupervise', kind: 'status', status: 503 });
      const err = await client.listen(s, '2005').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(GatewayHttpStatusError);
      expect((err as GatewayHttpStatusError).status).toBe(503);
      sim.sim.injectFault({ interface: 'addSupervise', kind: 'invalid-json' });
      await expect(client.listen(s, '2005')).rejects.toBeInstanceOf(GatewayBadResponseError);
    });

    it('event polls retry a failure with backoff and recover', async () => {
      const s = await signIn();
      const before = count('getAgentEvent');
      sim.sim.injectFault({ interface: 'getAgentEvent', kind: 'status', status: 502 });
      const out = await client.pollEvent(s);
      expect(ok(out).event?.type).toBe('AgentOther_InService');
      expect(count('getAgentEvent') - before).toBe(2);
    });

    it('latency within the timeout is fine', async () => {
      const s = await signIn();
      sim.sim.injectFault({ interface: 'getAgentStatus', kind: 'latency', ms: 100 });
      ok(await client.agentStatus(s));
    });

    it('connection refused', async () => {
      const probe = createServer();
      await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
      const { port } = probe.address() as AddressInfo;
      await new Promise((r) => probe.close(r));
      const c = new GatewayClient({ baseUrl: `https://127.0.0.1:${port}`, readRetries: 0 });
      const err = await c.agentStatus({ agentId: '1001', guid: new Secret('g') }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(GatewayConnectionError);
      expect((err as GatewayConnectionError).reason).toBe('refused');
      await c.destroy();
    });

    it('TLS failure without the CA; insecure mode works but warns', async () => {
      const strict = new GatewayClient({ baseUrl: sim.url, readRetries: 0 });
      await expect(strict.signIn('1001', { password: PASSWORD })).rejects.toBeInstanceOf(GatewayTlsError);
      await strict.destroy();
      const warnings = captureLogger();
      const loose = new GatewayClient({ baseUrl: sim.url, insecureSkipVerify: true, logger: warnings });
      expect(warnings.text()).toMatch(/verification .* DISABLED/);
      ok(await loose.signIn('1001', { password: PASSWORD }));
      await loose.destroy();
    });
  });

  describe('push mode', () => {
    let receiver: Server;
    let received: Array<{ headers: IncomingMessage['headers']; body: unknown }>;
    let callbackUrl: string;

    beforeAll(async () => {
      received = [];
      receiver = createServer((req, res) => {
        let text = '';
        req.on('data', (c) => {
          text += c;
        });
        req.on('end', () => {
          received.push({ headers: req.headers, body: JSON.parse(text) });
          res.setHeader('content-type', 'application/json');
          res.end('{"message":"success","retcode":"0"}');
        });
      });
      await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
      callbackUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/gateway/events`;
    });

    afterAll(async () => {
      await new Promise((r) => receiver.close(r));
    });

    caseFor('handshake')(
      'delivers events to the callback with Guid and service_token; handshake rotates the Guid',
      async () => {
        const token = 'tok3nForPushTests';
        const s = sessionOf(
          '1003',
          await client.signIn('1003', { password: PASSWORD, callBackUri: callbackUrl, serviceToken: token }),
        );
        ok(await client.listen(s, '2006'));
        if (profile.name === 'legacy') {
          // The 2018 route table has no handshake: the gateway does not push, the handshake is a
          // 404 (the keeper then keeps the session alive by polling), and the events are polled.
          await expect(client.handshake(s, { serviceToken: token })).rejects.toMatchObject({
            kind: 'http-status',
            status: 404,
          });
          const polled = await client.pollEvent(s);
          expect(polled.ok).toBe(true);
          expect(polled.ok && polled.data.event).toBeTruthy();
          expect(received).toHaveLength(0);
          return;
        }
        await expect
          .poll(() => received.flatMap((r) => parsePushBody(r.body)?.events ?? []).map((e) => e.type), {
            timeout: 5000,
          })
          .toEqual(
            expect.arrayContaining(['AgentOther_InService', 'AgentState_Busy', 'AgentOther_PhoneOffhook']),
          );
        const first = received[0];
        expect(first?.headers.service_token).toBe(token);
        expect(first?.headers.guid).toBe(s.guid.reveal());
        clock.advance(61_000);
        const hs = await client.handshake(s, { serviceToken: token });
        expect(hs.ok).toBe(true);
        expect(hs.newGuid).toBeDefined();
      },
    );
  });

  describe('secrets', () => {
    it('never appear in logs, errors or the client object', async () => {
      const s = await signIn();
      const guid = s.guid.reveal();
      sim.sim.injectFault({ interface: 'intercept', kind: 'invalid-json' });
      ok(await client.listen(s, '2005'));
      const err = await client.intercept(s, '2005').catch((e: unknown) => e);
      await client.signIn('1001', { password: 'hunter2-wrong', phone: '70001' });
      const shown = [
        logs.text(),
        String(err),
        inspect(err),
        JSON.stringify(err),
        inspect(client),
        JSON.stringify(client),
        inspect(s),
      ].join('\n');
      expect(shown).not.toContain(guid);
      expect(shown).not.toContain(guid.slice(0, 8));
      expect(shown).not.toContain('hunter2');
      expect(shown).not.toContain(PASSWORD);
      expect(JSON.stringify(sim.sim.requestLog)).not.toContain(guid);
    });
  });

  describe('keep-alive', () => {
    it('reuses one TLS connection for sequential calls', async () => {
      const s = await signIn();
      const before = sim.sim.connectionCount;
      for (let i = 0; i < 50; i++) ok(await client.agentStatus(s));
      expect(sim.sim.connectionCount - before).toBeLessThanOrEqual(1);
    });
  });
});
