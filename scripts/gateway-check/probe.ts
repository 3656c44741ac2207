/**
 * What `npm run gateway-check` does against a gateway, in order: reach it (TLS), sign in, learn how it
 * behaves (cookies, held polls, Guid rotation), probe every interface qc-slack uses without touching any
 * agent (each QC call targets the inspector itself, which a gateway refuses with 000-005 where the route
 * exists and answers 404 where it does not), sign out. Nothing here prints; report.ts does.
 */
import { explainRetcode } from '../../src/gateway/retcodes';
import { type Answer, ProbeSession } from './http';
import { checkReach, type ReachResult } from './tls';

export type InterfaceStatus = 'ok' | 'missing' | 'refused' | 'error' | 'skipped';

export interface InterfaceResult {
  status: InterfaceStatus;
  http?: number;
  retcode?: string;
  note?: string;
}

export interface CheckOptions {
  url: string;
  agent: string;
  phone: string;
  password: string;
  caPem?: string | Buffer;
  caFile?: string;
  insecure: boolean;
  timeoutMs: number;
  /** Called with a line of progress (stderr in the CLI). */
  progress?: (line: string) => void;
}

export interface CheckResult {
  ok: boolean;
  url: string;
  reach: ReachResult;
  signIn?: { retcode?: string; http?: number; meaning?: string };
  /** dynamic: the Guid rotates (AUTHMODE 2); static: it does not (AUTHMODE 1); unknown: no updateGuid. */
  authMode: 'dynamic' | 'static' | 'unknown';
  cookies: string[];
  /** The gateway held an empty poll (long poll) — or answered it at once (null: never saw an empty poll). */
  pollHeld: boolean | null;
  emptyPollMs?: number;
  /** The empty poll's envelope had no `event` key (as real gateways send it). */
  emptyPollWithoutEventKey?: boolean;
  interfaces: Record<string, InterfaceResult>;
  problems: string[];
}

/** Each QC interface qc-slack uses, called on the inspector itself (`self`). */
const QC_PROBES: Array<[name: string, method: 'PUT' | 'POST' | 'DELETE', path: (self: string) => string]> = [
  ['listen', 'PUT', (s) => `/addsupervise/${s}`],
  ['insert', 'PUT', (s) => `/addinsert/${s}`],
  ['whisper', 'POST', (s) => `/requestwhisperagent?whisperagentid=${s}`],
  ['stopWhisper', 'POST', (s) => `/requeststopwhisperagent?whisperagentid=${s}`],
  ['stop', 'DELETE', (s) => `/${s}`],
  ['switch', 'POST', (s) => `/switch/${s}`],
  ['switchMode', 'POST', (s) => `/requestswitchinsertwhisperagent?whisperagentid=${s}&switchtype=0`],
  ['intercept', 'PUT', (s) => `/intercept/${s}`],
  ['interceptByCall', 'PUT', (s) => `/intercept/${s}/0-0`],
  ['releaseCall', 'POST', () => '/forcedropcall/0-0'],
  ['forceBusy', 'POST', (s) => `/forcebusy/${s}`],
  ['forceIdle', 'POST', (s) => `/forceidle/${s}`],
  ['forceSignOut', 'POST', (s) => `/forcelogout/${s}`],
];

/** Without these qc-slack cannot work at all; the rest degrade one feature each. */
export const REQUIRED = ['signIn', 'poll', 'listen', 'intercept', 'signOut'];

export async function runCheck(o: CheckOptions): Promise<CheckResult> {
  const say = o.progress ?? (() => {});
  const result: CheckResult = {
    ok: false,
    url: o.url,
    reach: { reachable: false },
    authMode: 'unknown',
    cookies: [],
    pollHeld: null,
    interfaces: {},
    problems: [],
  };
  say(`Reaching ${o.url} …`);
  result.reach = await checkReach(new URL(o.url), o.caPem, Math.min(o.timeoutMs, 10_000));
  if (!result.reach.reachable || (result.reach.trusted === false && !o.insecure)) {
    result.problems.push(result.reach.problem ?? 'the gateway could not be reached');
    return result;
  }
  if (result.reach.trusted === false) result.problems.push(`--insecure: ${result.reach.problem}`);
  const session = new ProbeSession(o);
  try {
    await probeSession(session, o, result, say);
  } finally {
    await session.close();
  }
  result.cookies = [...session.cookieNames];
  for (const [name, r] of Object.entries(result.interfaces)) {
    if (name === 'signIn' || name === 'poll') continue; // their problems are already said in words
    if (r.status === 'refused' || r.status === 'error') {
      result.problems.push(
        `${name}: ${r.status}${r.retcode ? ` (${r.retcode})` : ''} — ${r.note ?? ''}`.trim(),
      );
    }
  }
  result.ok = REQUIRED.every((n) => result.interfaces[n]?.status === 'ok');
  return result;
}

async function probeSession(
  session: ProbeSession,
  o: CheckOptions,
  result: CheckResult,
  say: (line: string) => void,
): Promise<void> {
  say(`Signing in inspector ${o.agent} …`);
  const signedIn = await signIn(session, o, result);
  if (!signedIn) return;
  try {
    say('Polling events (up to ~10 s to see whether the gateway holds an empty poll) …');
    await probePoll(session, o, result);
    say('Asking for a fresh Guid (updateGuid) and probing the heartbeat …');
    await probeAuth(session, o, result);
    say(`Probing ${QC_PROBES.length} QC interfaces on inspector ${o.agent} itself (no agent is touched) …`);
    for (const [name, method, path] of QC_PROBES) {
      result.interfaces[name] = await probe(session, method, `/qualitycontrol/${o.agent}${path(o.agent)}`);
    }
  } finally {
    say('Signing out …');
    result.interfaces.signOut = await probe(session, 'DELETE', `/onlineagent/${o.agent}/logout`);
    session.forget();
  }
}

async function signIn(session: ProbeSession, o: CheckOptions, result: CheckResult): Promise<boolean> {
  let answer: Answer;
  try {
    answer = await session.call('PUT', `/onlineagent/${o.agent}`, {
      body: {
        password: o.password,
        phonenum: o.phone,
        status: 4,
        autoanswer: true,
        releasephone: true,
        agenttype: 4,
      },
    });
  } catch (err) {
    result.interfaces.signIn = transportFailure(err);
    result.problems.push(`sign-in failed: ${result.interfaces.signIn.note}`);
    return false;
  }
  const meaning = answer.retcode ? explainRetcode(answer.retcode) : undefined;
  result.signIn = {
    http: answer.status,
    ...(answer.retcode ? { retcode: answer.retcode } : {}),
    ...(meaning ? { meaning: meaning.meaning } : {}),
  };
  if (answer.retcode === '0' && session.hasGuid) {
    result.interfaces.signIn = { status: 'ok', http: answer.status, retcode: '0' };
    return true;
  }
  result.interfaces.signIn = classify(answer);
  if (answer.status === 404) {
    result.problems.push(
      `sign-in answered HTTP 404: ${o.url} is not a CC-Gateway agent interface (is the path right? qc-slack adds /agentgateway/resource itself).`,
    );
  } else if (answer.retcode === '0') {
    result.problems.push(
      'sign-in succeeded but the gateway sent no Set-GUID header: qc-slack cannot work without it.',
    );
  } else if (meaning) {
    const hint =
      answer.retcode === '100-002'
        ? ' The check does not force a sign-in: sign the inspector out elsewhere, or use another inspector ID.'
        : '';
    result.problems.push(
      `sign-in refused: ${answer.retcode} — ${meaning.meaning} ${meaning.nextStep}${hint}`,
    );
  } else {
    result.problems.push(`sign-in answered HTTP ${answer.status} without the gateway's JSON.`);
  }
  return false;
}

async function probePoll(session: ProbeSession, o: CheckOptions, result: CheckResult): Promise<void> {
  // Sign-in's own events come first; read them until an empty poll (at most 6 polls).
  for (let i = 0; i < 6; i++) {
    let answer: Answer;
    try {
      answer = await session.call('GET', `/agentevent/${o.agent}`, {
        timeoutMs: Math.max(o.timeoutMs, 15_000),
      });
    } catch (err) {
      result.interfaces.poll = transportFailure(err);
      result.problems.push(`event poll failed: ${result.interfaces.poll.note}`);
      return;
    }
    if (answer.status !== 200 || answer.retcode !== '0') {
      result.interfaces.poll = classify(answer);
      result.problems.push(`event poll refused: ${describeAnswer(answer)}`);
      return;
    }
    result.interfaces.poll = { status: 'ok', http: 200, retcode: '0' };
    const empty = answer.event === undefined || answer.event === null || isEmptyObject(answer.event);
    if (empty) {
      result.emptyPollMs = answer.ms;
      result.pollHeld = answer.ms >= 1_000;
      result.emptyPollWithoutEventKey = !answer.hasEventKey;
      return;
    }
  }
}

async function probeAuth(session: ProbeSession, o: CheckOptions, result: CheckResult): Promise<void> {
  const update = await probe(session, 'PUT', `/onlineagent/${o.agent}/updateGuid`, (answer) => {
    if (answer.retcode !== '0') return;
    const seen = session.adoptGuid((answer.result as { guid?: unknown } | undefined)?.guid);
    result.authMode = seen === 'new' || answer.newGuid ? 'dynamic' : seen === 'same' ? 'static' : 'unknown';
  });
  result.interfaces.updateGuid = update;
  result.interfaces.handshake = await probe(session, 'POST', `/onlineagent/${o.agent}/handshake`);
}

async function probe(
  session: ProbeSession,
  method: 'GET' | 'PUT' | 'POST' | 'DELETE',
  path: string,
  inspect?: (answer: Answer) => void,
): Promise<InterfaceResult> {
  try {
    const answer = await session.call(method, path);
    inspect?.(answer);
    return classify(answer);
  } catch (err) {
    return transportFailure(err);
  }
}

/** 404 = the route does not exist; a session or permission retcode = refused; any other JSON answer = ok. */
export function classify(answer: Answer): InterfaceResult {
  const base = { http: answer.status, ...(answer.retcode ? { retcode: answer.retcode } : {}) };
  if (answer.status === 404 || answer.status === 405) return { status: 'missing', ...base };
  if (answer.retcode === undefined) {
    return { status: 'error', ...base, note: `HTTP ${answer.status} without the gateway's JSON` };
  }
  if (answer.retcode === '0') return { status: 'ok', ...base };
  const why = explainRetcode(answer.retcode);
  if (why.kind === 'session' || why.kind === 'permission' || why.kind === 'signin') {
    return { status: 'refused', ...base, note: why.meaning };
  }
  if (why.kind === 'platform') return { status: 'error', ...base, note: why.meaning };
  return { status: 'ok', ...base, note: why.meaning };
}

function transportFailure(err: unknown): InterfaceResult {
  const e = err as { code?: string; name?: string; message?: string };
  const code = e.code ?? e.name ?? 'error';
  const timeout = /timeout/i.test(code);
  return { status: 'error', note: timeout ? `no answer in time (${code})` : `transport error (${code})` };
}

function describeAnswer(a: Answer): string {
  if (a.retcode === undefined) return `HTTP ${a.status}`;
  const why = explainRetcode(a.retcode);
  return `${a.retcode} — ${why.meaning}`;
}

function isEmptyObject(v: unknown): boolean {
  return typeof v === 'object' && v !== null && Object.keys(v).length === 0;
}
