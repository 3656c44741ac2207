import { inspect } from 'node:util';
import pRetry from 'p-retry';
import { checkAgentId, checkCallId, DEFAULT_MAX_AGENT_ID } from './agent-id';
import {
  GatewayBadResponseError,
  GatewayHttpStatusError,
  GatewayInputError,
  GatewayTransportError,
} from './errors';
import { type GatewayEvent, parseEvent } from './events';
import {
  type AllAgentMonitorsData,
  type AllAgentStatusData,
  parseAllAgentMonitors,
  parseAllAgentStatus,
} from './floor';
import { type Logger, silentLogger } from './logger';
import { explainRetcode, type RetcodeExplanation } from './retcodes';
import { Secret } from './secret';
import { Transport, type TransportRequest, type TransportResponse } from './transport';

export interface GatewayClientOptions {
  /** e.g. `https://10.0.0.5:8043` (a path prefix is kept: `https://proxy/ccgw`). */
  baseUrl: string;
  /** PEM of the gateway's CA (contents of CCGW_CA_FILE). */
  caPem?: string | Buffer;
  /** Disable certificate checks. Explicit opt-in only; logs a warning at construction. */
  insecureSkipVerify?: boolean;
  /** TCP + TLS connect timeout. Default 3,000 ms. */
  connectTimeoutMs?: number;
  /** Answer timeout for sign-in, QC operations and status reads. Default 5,000 ms. */
  requestTimeoutMs?: number;
  /** Answer timeout for the event long poll (the gateway holds it ~10 s). Default 15,000 ms. */
  pollTimeoutMs?: number;
  /** Max open connections to the gateway; each held long poll uses one. Default 256. */
  maxConnections?: number;
  /** Idle keep-alive; keep below the gateway's own idle timeout. Default 15,000 ms. */
  keepAliveTimeoutMs?: number;
  /** Highest agent ID accepted: 59,999 (older gateways, default) up to 999,999. */
  maxAgentId?: number;
  /** Send back `Set-Cookie` values per session (load-balanced gateways; UNCONFIRMED need). Default off. */
  stickyCookies?: boolean;
  /** Retries for event polls and status reads on transport failures (never for QC operations). Default 2. */
  readRetries?: number;
  /** First retry delay, doubled each time. Default 250 ms. */
  readRetryMinDelayMs?: number;
  logger?: Logger;
}

/** A signed-in gateway session as the caller stores it. The client keeps none. */
export interface GatewaySession {
  agentId: string;
  guid: Secret;
  /** Sticky cookies (only with `stickyCookies`). */
  cookie?: string;
}

interface OutcomeBase {
  operation: string;
  message: string;
  latencyMs: number;
  /** A rotated Guid from `Set-GUID`: store it at once, the old one dies soon. */
  newGuid?: Secret;
  /** Updated sticky cookie string, when the gateway set cookies. */
  cookie?: string;
}
export interface GatewaySuccess<T> extends OutcomeBase {
  ok: true;
  retcode: '0';
  data: T;
}
export interface GatewayFailure extends OutcomeBase {
  ok: false;
  retcode: string;
  explanation: RetcodeExplanation;
}
export type GatewayOutcome<T = Record<string, never>> = GatewaySuccess<T> | GatewayFailure;

export interface SignInOptions {
  password: string | Secret;
  /** Soft-phone number the gateway calls when monitoring starts. */
  phone?: string;
  /** State after sign-in: 3 busy, 4 idle (default), 5 wrap-up. Inspectors must be idle to monitor. */
  status?: 3 | 4 | 5;
  autoAnswer?: boolean;
  releasePhone?: boolean;
  /** Push mode: both must be given, else the session polls. */
  callBackUri?: string;
  serviceToken?: string | Secret;
  /** Receive QC_AgentState_Notify for monitored agents' sign-in/out. */
  listenStatus?: boolean;
}

export interface SignInData {
  guid: Secret;
  vdnId?: number;
  workNo?: string;
  loginTime?: string;
  serverName?: string;
  /** Days until the CTI password expires, when the gateway says. */
  passwordDaysLeft?: number;
}

/** What the switch interface moves an inspector to (its `switchType` 0, 1, 2). */
export type SwitchTarget = 'listen' | 'insert' | 'whisper';
const SWITCH_TYPE: Record<SwitchTarget, number> = { listen: 0, insert: 1, whisper: 2 };

/** The QC interfaces that take one target agent and nothing else. */
const QC_SIMPLE = {
  listen: { logName: 'addSupervise', method: 'PUT', path: (w: string) => `/addsupervise/${w}` },
  insert: { logName: 'addInsert', method: 'PUT', path: (w: string) => `/addinsert/${w}` },
  whisper: {
    logName: 'requestWhisperAgent',
    method: 'POST',
    path: (w: string) => `/requestwhisperagent?whisperagentid=${w}`,
  },
  stopWhisper: {
    logName: 'requestStopWhisperAgent',
    method: 'POST',
    path: (w: string) => `/requeststopwhisperagent?whisperagentid=${w}`,
  },
  cancelMonitor: { logName: 'stopSuperviseOrInsert', method: 'DELETE', path: (w: string) => `/${w}` },
  switchListenInsert: {
    logName: 'switchSuperviseOrInsert',
    method: 'POST',
    path: (w: string) => `/switch/${w}`,
  },
  intercept: { logName: 'intercept', method: 'PUT', path: (w: string) => `/intercept/${w}` },
  forceBusy: { logName: 'forceBusy', method: 'POST', path: (w: string) => `/forcebusy/${w}` },
  forceIdle: { logName: 'forceIdle', method: 'POST', path: (w: string) => `/forceidle/${w}` },
  forceSignOutAgent: {
    logName: 'forceLogOutAgent',
    method: 'POST',
    path: (w: string) => `/forcelogout/${w}`,
  },
} as const satisfies Record<
  string,
  { logName: string; method: TransportRequest['method']; path: (w: string) => string }
>;
export type SimpleQcOperation = keyof typeof QC_SIMPLE;

/** Agents one `beginmonitor`/`endmonitor` may name (real clients' MAX_MONITOR_AGENTS; the issue's cap per inspector). */
export const MAX_MONITOR_AGENTS = 500;

const GUID_PATTERN = /^[\x21-\x7e]{1,256}$/;
/** Every agent interface lives under this path of the gateway (reference §1). */
export const RESOURCE_PATH = '/agentgateway/resource';
type Empty = Record<string, never>;

/** Strip `JSESSIONID=` and any cookie attributes from a `Set-GUID` value. */
export function parseSetGuid(value: string | undefined): Secret | undefined {
  if (!value) return undefined;
  let v = value.split(';')[0]?.trim() ?? '';
  if (v.toUpperCase().startsWith('JSESSIONID=')) v = v.slice('JSESSIONID='.length);
  return GUID_PATTERN.test(v) ? new Secret(v) : undefined;
}

/** Merge `Set-Cookie` values into a `Cookie` header string (name=value pairs only). */
export function mergeCookies(existing: string | undefined, setCookies: string[]): string | undefined {
  if (setCookies.length === 0) return undefined;
  const jar = new Map<string, string>();
  for (const pair of (existing ?? '').split(';')) {
    const [name, ...rest] = pair.trim().split('=');
    if (name) jar.set(name, rest.join('='));
  }
  for (const header of setCookies) {
    const [pair] = header.split(';');
    const [name, ...rest] = (pair ?? '').trim().split('=');
    if (name) jar.set(name, rest.join('='));
  }
  return [...jar].map(([n, v]) => `${n}=${v}`).join('; ');
}

/**
 * The CC-Gateway client: one per gateway base URL, one keep-alive pool inside, one typed method per
 * interface. QC operations are never retried (intercept is not idempotent); event polls and
 * status reads retry transport failures with backoff. Guids, passwords and tokens are held in
 * `Secret`s and never logged.
 */
export class GatewayClient {
  readonly maxAgentId: number;
  readonly #transport: Transport;
  readonly #logger: Logger;
  readonly #requestTimeoutMs: number;
  readonly #pollTimeoutMs: number;
  readonly #stickyCookies: boolean;
  readonly #readRetries: number;
  readonly #readRetryMinDelayMs: number;
  #noInterceptByCall = false;

  constructor(opts: GatewayClientOptions) {
    this.#logger = opts.logger ?? silentLogger;
    this.maxAgentId = opts.maxAgentId ?? DEFAULT_MAX_AGENT_ID;
    this.#requestTimeoutMs = opts.requestTimeoutMs ?? 5_000;
    this.#pollTimeoutMs = opts.pollTimeoutMs ?? 15_000;
    this.#stickyCookies = opts.stickyCookies ?? true;
    this.#readRetries = opts.readRetries ?? 2;
    this.#readRetryMinDelayMs = opts.readRetryMinDelayMs ?? 250;
    this.#transport = new Transport({
      baseUrl: opts.baseUrl,
      ...(opts.caPem !== undefined ? { caPem: opts.caPem } : {}),
      insecureSkipVerify: opts.insecureSkipVerify ?? false,
      connectTimeoutMs: opts.connectTimeoutMs ?? 3_000,
      maxConnections: opts.maxConnections ?? 256,
      keepAliveTimeoutMs: opts.keepAliveTimeoutMs ?? 15_000,
      logger: this.#logger,
    });
  }

  get baseUrl(): string {
    return this.#transport.origin + this.#transport.basePath;
  }

  // ── sign-in and session ────────────────────────────────────────────────────────────────

  async signIn(agentId: string, opts: SignInOptions): Promise<GatewayOutcome<SignInData>> {
    return this.#signIn('login', '', agentId, opts);
  }

  /** Sign in even though the ID is signed in elsewhere (the other session is kicked). */
  async forceSignIn(agentId: string, opts: SignInOptions): Promise<GatewayOutcome<SignInData>> {
    return this.#signIn('forceLogin', '/forcelogin', agentId, opts);
  }

  async signOut(session: GatewaySession): Promise<GatewayOutcome<Empty>> {
    return this.#call(session, 'logout', 'DELETE', `/onlineagent/${this.#id(session.agentId)}/logout`, empty);
  }

  /** Sign out even while talking (the call is released). */
  async forceSignOut(session: GatewaySession): Promise<GatewayOutcome<Empty>> {
    return this.#call(
      session,
      'forceLogout',
      'DELETE',
      `/onlineagent/${this.#id(session.agentId)}/forcelogout`,
      empty,
    );
  }

  /** One long poll: one event, or `null` when the gateway held the poll and had nothing. */
  async pollEvent(
    session: GatewaySession,
    opts: { calldata?: string } = {},
  ): Promise<GatewayOutcome<{ event: GatewayEvent | null }>> {
    const query = opts.calldata ? `?calldata=${encodeURIComponent(opts.calldata)}` : '';
    const path = `/agentevent/${this.#id(session.agentId)}${query}`;
    return this.#retrying(() =>
      this.#call(session, 'getAgentEvent', 'GET', path, (env) => ({ event: parseEvent(env.event) }), {
        timeoutMs: this.#pollTimeoutMs,
      }),
    );
  }

  /** Push-mode heartbeat (every ~30 s). In dynamic auth the new Guid comes back in `newGuid`. */
  async handshake(
    session: GatewaySession,
    opts: { serviceToken?: string | Secret } = {},
  ): Promise<GatewayOutcome<Empty>> {
    const headers: Record<string, string> = opts.serviceToken
      ? { service_token: Secret.of(opts.serviceToken).reveal() }
      : {};
    return this.#retrying(() =>
      this.#call(session, 'handShake', 'POST', `/onlineagent/${this.#id(session.agentId)}/handshake`, empty, {
        headers,
      }),
    );
  }

  /** The signed-in agent's own state (T1 table: 3 busy, 4 idle, 5 wrap-up, 7 talking…). */
  async agentStatus(
    session: GatewaySession,
  ): Promise<GatewayOutcome<{ agentState: number; isWorking: boolean }>> {
    return this.#retrying(() =>
      this.#call(
        session,
        'getAgentStatus',
        'GET',
        `/onlineagent/${this.#id(session.agentId)}/agentstatus`,
        (env) => {
          const result = record(env.result);
          return {
            agentState: Number(result.agentState ?? 0),
            isWorking: result.isWorking === true || result.isWorking === 'true',
          };
        },
      ),
    );
  }

  /** Ask for a fresh Guid explicitly (`updateGuid`); it comes back in `data.guid`. */
  async updateGuid(session: GatewaySession): Promise<GatewayOutcome<{ guid: Secret }>> {
    return this.#call(
      session,
      'updateGuid',
      'PUT',
      `/onlineagent/${this.#id(session.agentId)}/updateGuid`,
      (env, res) => {
        const guid = parseSetGuid(String(record(env.result).guid ?? '')) ?? parseSetGuid(res.setGuid);
        if (!guid) throw new GatewayInputError('guid', 'updateGuid answered without a usable Guid');
        return { guid };
      },
    );
  }

  // ── quality control ────────────────────────────────────────────────────────────────────

  async listen(session: GatewaySession, workNo: string): Promise<GatewayOutcome> {
    return this.qc('listen', session, workNo);
  }
  async insert(session: GatewaySession, workNo: string): Promise<GatewayOutcome> {
    return this.qc('insert', session, workNo);
  }
  async whisper(session: GatewaySession, workNo: string): Promise<GatewayOutcome> {
    return this.qc('whisper', session, workNo);
  }
  async stopWhisper(session: GatewaySession, workNo: string): Promise<GatewayOutcome> {
    return this.qc('stopWhisper', session, workNo);
  }
  /** Cancel listening or inserting (`DELETE /{workNo}`). */
  async cancelMonitor(session: GatewaySession, workNo: string): Promise<GatewayOutcome> {
    return this.qc('cancelMonitor', session, workNo);
  }
  /** Toggle listen ⇄ insert (`POST /switch/{workNo}`). */
  async switchListenInsert(session: GatewaySession, workNo: string): Promise<GatewayOutcome> {
    return this.qc('switchListenInsert', session, workNo);
  }
  async forceBusy(session: GatewaySession, workNo: string): Promise<GatewayOutcome> {
    return this.qc('forceBusy', session, workNo);
  }
  async forceIdle(session: GatewaySession, workNo: string): Promise<GatewayOutcome> {
    return this.qc('forceIdle', session, workNo);
  }
  /** Force another agent to sign out (`POST /forcelogout/{workNo}`). */
  async forceSignOutAgent(session: GatewaySession, workNo: string): Promise<GatewayOutcome> {
    return this.qc('forceSignOutAgent', session, workNo);
  }

  /** Switch among listen / insert / whisper (`requestswitchinsertwhisperagent`, switchtype 0/1/2). */
  async switchMode(session: GatewaySession, workNo: string, mode: SwitchTarget): Promise<GatewayOutcome> {
    const target = this.#id(workNo, 'workNo');
    const switchType = SWITCH_TYPE[mode];
    if (switchType === undefined)
      throw new GatewayInputError('mode', 'mode must be listen, insert or whisper');
    return this.#qcCall(
      session,
      'requestSwitchInsertWhisperAgent',
      'POST',
      `/requestswitchinsertwhisperagent?whisperagentid=${target}&switchtype=${switchType}`,
    );
  }

  /** Take over the customer from `workNo` (you must be monitoring that agent); optionally a given call. */
  async intercept(session: GatewaySession, workNo: string, callId?: string): Promise<GatewayOutcome> {
    if (callId === undefined || this.#noInterceptByCall) return this.qc('intercept', session, workNo);
    const target = this.#id(workNo, 'workNo');
    try {
      return await this.#qcCall(
        session,
        'intercept',
        'PUT',
        `/intercept/${target}/${encodeURIComponent(this.#callId(callId))}`,
      );
    } catch (err) {
      // Older gateways (the 2018 route table) have no intercept by call ID. A 404 means the route is
      // not there, so nothing was done: intercept by agent ID instead, and from now on at once.
      if (!(err instanceof GatewayHttpStatusError) || err.status !== 404) throw err;
      this.#noInterceptByCall = true;
      this.#logger.warn(
        { op: 'intercept' },
        'the gateway has no intercept by call ID (HTTP 404): using plain intercept',
      );
      return this.qc('intercept', session, workNo);
    }
  }

  /** Fallbacks this client has switched to for this gateway (an older route table). */
  get fallbacks(): string[] {
    return this.#noInterceptByCall ? ['no-intercept-by-call'] : [];
  }

  /** Force-release a call by its call ID. */
  async forceReleaseCall(session: GatewaySession, callId: string): Promise<GatewayOutcome> {
    return this.#qcCall(
      session,
      'forceDropCall',
      'POST',
      `/forcedropcall/${encodeURIComponent(this.#callId(callId))}`,
    );
  }

  /** Any single-target QC operation by name (the table in QC_SIMPLE). */
  async qc(op: SimpleQcOperation, session: GatewaySession, workNo: string): Promise<GatewayOutcome> {
    const spec = QC_SIMPLE[op];
    return this.#qcCall(session, spec.logName, spec.method, spec.path(this.#id(workNo, 'workNo')));
  }

  async close(): Promise<void> {
    await this.#transport.close();
  }

  /** Close at once, aborting held long polls. */
  async destroy(): Promise<void> {
    await this.#transport.destroy();
  }

  toJSON(): object {
    return { gateway: this.baseUrl, maxAgentId: this.maxAgentId };
  }
  toString(): string {
    return `GatewayClient(${this.baseUrl})`;
  }
  [inspect.custom](): string {
    return this.toString();
  }

  // ── the floor ──────────────────────────────────────────────────────────────────────────

  /**
   * Every agent of the inspector's VDN with its state (`agentgroup/{id}/allagentstatus`; the inspector
   * itself included). With `skillId`, only that skill queue's agents: where the entries list their skills,
   * by those; else by a second read of the skill's configured agents; where neither says, every agent with
   * `skillFilter: 'unavailable'` (see src/gateway/floor.ts).
   */
  async allAgentStatus(
    session: GatewaySession,
    opts: { skillId?: string } = {},
  ): Promise<GatewayOutcome<AllAgentStatusData>> {
    const skill = opts.skillId;
    if (skill !== undefined && !/^\d{1,9}$/.test(skill))
      throw new GatewayInputError('skillId', 'invalid skill ID: digits only');
    const path = `/agentgroup/${this.#id(session.agentId)}/allagentstatus`;
    const all = await this.#retrying(() =>
      this.#call(session, 'queryAllAgentStatus', 'GET', path, (env) =>
        parseAllAgentStatus(env.result, Date.now(), skill),
      ),
    );
    if (skill === undefined || !all.ok || all.data.skillFilter !== 'unavailable') return all;
    const members = await this.#skillMembers(session, skill);
    if (!members) return all;
    const agents = all.data.agents.filter((a) => members.has(a.workNo));
    return { ...all, data: { ...all.data, agents, skillFilter: 'applied' } };
  }

  /**
   * The work numbers configured for a skill queue (`agentgroup/{id}/agentbyconfigedskill/{skill}`, fields
   * UNCONFIRMED: read as allagentstatus entries), or undefined where the gateway does not say (no such
   * route, a refusal): the floor then shows the whole VDN and says so.
   */
  async #skillMembers(session: GatewaySession, skill: string): Promise<Set<string> | undefined> {
    const path = `/agentgroup/${this.#id(session.agentId)}/agentbyconfigedskill/${skill}`;
    try {
      const out = await this.#retrying(() =>
        this.#call(session, 'queryAgentByConfigedSkill', 'GET', path, (env) =>
          parseAllAgentStatus(env.result, Date.now()),
        ),
      );
      return out.ok ? new Set(out.data.agents.map((a) => a.workNo)) : undefined;
    } catch (err) {
      if (err instanceof GatewayHttpStatusError) return undefined;
      throw err;
    }
  }

  /**
   * The gateway's own list of monitored agents (`qualitycontrol/{id}/allagent`, UNCONFIRMED shape). A
   * gateway without the route (HTTP 404) gives `{ supported: false }`, not an error.
   */
  async allAgentMonitors(session: GatewaySession): Promise<GatewayOutcome<AllAgentMonitorsData>> {
    const path = `/qualitycontrol/${this.#id(session.agentId)}/allagent`;
    try {
      return await this.#retrying(() =>
        this.#call(session, 'queryAllMonitoredAgents', 'GET', path, (env) =>
          parseAllAgentMonitors(env.result),
        ),
      );
    } catch (err) {
      if (!(err instanceof GatewayHttpStatusError) || err.status !== 404) throw err;
      const data: AllAgentMonitorsData = { supported: false };
      return {
        ok: true,
        retcode: '0',
        operation: 'queryAllMonitoredAgents',
        message: '',
        latencyMs: 0,
        data,
      };
    }
  }

  /** Subscribe to agents' QC_AgentState_Notify (`beginmonitor?agents=a;b`): 1 to 500 distinct agents. */
  async beginMonitor(session: GatewaySession, workNos: readonly string[]): Promise<GatewayOutcome> {
    return this.#qcCall(session, 'beginMonitor', 'POST', `/beginmonitor?agents=${this.#agentList(workNos)}`);
  }

  /** End those subscriptions (`endmonitor?agents=a;b`): 1 to 500 distinct agents. */
  async endMonitor(session: GatewaySession, workNos: readonly string[]): Promise<GatewayOutcome> {
    return this.#qcCall(session, 'endMonitor', 'POST', `/endmonitor?agents=${this.#agentList(workNos)}`);
  }

  // ── internals ──────────────────────────────────────────────────────────────────────────

  #id(value: string, field = 'agentId'): string {
    const check = checkAgentId(value, this.maxAgentId);
    if (!check.ok) throw new GatewayInputError(field, `invalid ${field}: ${check.reason}`);
    return check.id;
  }

  /** Checked, de-duplicated work numbers joined by `;` (sent raw, as real clients do). */
  #agentList(workNos: readonly string[]): string {
    const ids = [...new Set(workNos.map((w) => this.#id(w, 'workNo')))];
    if (ids.length === 0) throw new GatewayInputError('workNos', 'name at least one agent');
    if (ids.length > MAX_MONITOR_AGENTS)
      throw new GatewayInputError(
        'workNos',
        `at most ${MAX_MONITOR_AGENTS} agents at a time (got ${ids.length}): split the list`,
      );
    return ids.join(';');
  }

  #callId(value: string): string {
    const check = checkCallId(value);
    if (!check.ok) throw new GatewayInputError('callId', `invalid call ID: ${check.reason}`);
    return check.id;
  }

  async #qcCall(session: GatewaySession, logName: string, method: TransportRequest['method'], tail: string) {
    return this.#call(session, logName, method, `/qualitycontrol/${this.#id(session.agentId)}${tail}`, empty);
  }

  async #signIn(
    logName: string,
    suffix: string,
    agentId: string,
    opts: SignInOptions,
  ): Promise<GatewayOutcome<SignInData>> {
    const id = this.#id(agentId);
    const pushMode = Boolean(opts.callBackUri && opts.serviceToken);
    const body: Record<string, unknown> = {
      password: Secret.of(opts.password).reveal(),
      phonenum: opts.phone ?? '',
      status: opts.status ?? 4,
      autoanswer: opts.autoAnswer ?? true,
      releasephone: opts.releasePhone ?? true,
      agenttype: 4,
      ...(opts.listenStatus !== undefined ? { listenStatus: opts.listenStatus } : {}),
      ...(pushMode && opts.serviceToken
        ? { callBackUri: opts.callBackUri, serviceToken: Secret.of(opts.serviceToken).reveal() }
        : {}),
    };
    return this.#call(
      undefined,
      logName,
      'PUT',
      `/onlineagent/${id}${suffix}`,
      (env, res) => {
        const result = record(env.result);
        const guid =
          parseSetGuid(res.setGuid) ??
          parseSetGuid(typeof result.guid === 'string' ? result.guid : undefined);
        if (!guid)
          throw new GatewayInputError('guid', 'sign-in succeeded but the gateway sent no Set-GUID header');
        const data: SignInData = { guid };
        const vdn = Number(result.vdnid);
        if (Number.isFinite(vdn) && result.vdnid !== undefined && result.vdnid !== '') data.vdnId = vdn;
        if (result.workno !== undefined) data.workNo = String(result.workno);
        if (result.loginTime !== undefined) data.loginTime = String(result.loginTime);
        if (typeof result.serverName === 'string') data.serverName = result.serverName;
        const days = Number(result.timeRemaining);
        if (result.timeRemaining !== '' && result.timeRemaining !== undefined && Number.isFinite(days)) {
          data.passwordDaysLeft = days;
        }
        return data;
      },
      { body: JSON.stringify(body), agentId: id },
    );
  }

  async #call<T>(
    session: GatewaySession | undefined,
    operation: string,
    method: TransportRequest['method'],
    path: string,
    read: (envelope: TransportResponse['envelope'], res: TransportResponse) => T,
    extra: { body?: string; timeoutMs?: number; headers?: Record<string, string>; agentId?: string } = {},
  ): Promise<GatewayOutcome<T>> {
    const headers: Record<string, string> = {
      'content-type': 'application/json; charset=UTF-8',
      ...extra.headers,
    };
    if (session) {
      const guid = session.guid instanceof Secret ? session.guid.reveal() : '';
      if (!GUID_PATTERN.test(guid)) {
        throw new GatewayInputError('guid', 'the stored gateway session has no usable Guid: sign in again');
      }
      headers.guid = guid;
      if (this.#stickyCookies && session.cookie) headers.cookie = session.cookie;
    }
    const started = performance.now();
    const agent = session?.agentId ?? extra.agentId;
    let res: TransportResponse;
    try {
      res = await this.#transport.send({
        operation,
        method,
        path: RESOURCE_PATH + path,
        headers,
        ...(extra.body !== undefined ? { body: extra.body } : {}),
        timeoutMs: extra.timeoutMs ?? this.#requestTimeoutMs,
      });
    } catch (err) {
      const ms = Math.round(performance.now() - started);
      if (err instanceof GatewayTransportError) {
        this.#logger.warn(
          { op: operation, agent, error: err.kind, code: err.code, ms },
          'gateway call failed',
        );
      }
      throw err;
    }
    const latencyMs = Math.round((performance.now() - started) * 10) / 10;
    const env = res.envelope;
    const base: OutcomeBase = {
      operation,
      message: typeof env.message === 'string' ? env.message : '',
      latencyMs,
    };
    const rotated = session ? parseSetGuid(res.setGuid) : undefined;
    if (rotated && !rotated.equals(session?.guid)) base.newGuid = rotated;
    if (this.#stickyCookies) {
      const cookie = mergeCookies(session?.cookie, res.setCookies);
      if (cookie !== undefined) base.cookie = cookie;
    }
    if (env.retcode !== '0') {
      const explanation = explainRetcode(env.retcode);
      this.#logger.info(
        { op: operation, agent, retcode: explanation.code, ms: latencyMs },
        'gateway refused',
      );
      return { ...base, ok: false, retcode: explanation.code, explanation };
    }
    let data: T;
    try {
      data = read(env, res);
    } catch (err) {
      if (err instanceof GatewayInputError) throw new GatewayBadResponseError(operation, err.message);
      throw err;
    }
    this.#logger.debug(
      { op: operation, agent, retcode: '0', ms: latencyMs, rotated: Boolean(base.newGuid) },
      'gateway ok',
    );
    return { ...base, ok: true, retcode: '0', data };
  }

  #retrying<T>(attempt: () => Promise<T>): Promise<T> {
    return pRetry(attempt, {
      retries: this.#readRetries,
      minTimeout: this.#readRetryMinDelayMs,
      factor: 2,
      randomize: true,
      shouldRetry: ({ error }) =>
        error instanceof GatewayTransportError &&
        error.kind !== 'tls' &&
        !(error instanceof GatewayHttpStatusError && error.status < 500),
    });
  }
}

const empty = (): Empty => ({});

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}
