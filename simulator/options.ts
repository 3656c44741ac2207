import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Clock, realClock } from './clock';
import { defaultScenario, type Scenario } from './scenario';
import type { TrafficSettings } from './traffic';

/**
 * Which gateway generation the route table follows: 'default' (the documented interfaces plus what real
 * clients call) or 'legacy' (the 2018 route table: no handshake, heartbeat, updateGuid, intercept by call ID).
 */
export type SimProfile = 'default' | 'legacy';
export const SIM_PROFILES: readonly SimProfile[] = ['default', 'legacy'];

/** The load balancer's stickiness cookie (Huawei Cloud ELB), see `elbCookie`. */
export const ELB_COOKIE = 'huaweielbsession';

export interface SimulatorOptions {
  /** Route table generation (default 'default'). */
  profile?: SimProfile;
  /**
   * Behind a load balancer with sticky sessions: sign-in sets the `huaweielbsession` cookie and any other
   * request without it reaches a node that does not know the session (100-006). Default false.
   */
  elbCookie?: boolean;
  /** Default '127.0.0.1'. */
  host?: string;
  /** Default 0 (a random free port). */
  port?: number;
  /** Plain HTTP instead of HTTPS (default false = HTTPS). */
  http?: boolean;
  /** AUTHMODE: 1 static Guid, 2 dynamic Guid (default). */
  authMode?: 1 | 2;
  /** GUIDINTERVAL, rotation period (default 60_000). */
  guidIntervalMs?: number;
  /** GUIDTIMEOUT, lifetime of each Guid from its issue (default 120_000). */
  guidTimeoutMs?: number;
  /** No poll/handshake for this long => signed out (default 120_000). */
  heartbeatTimeoutMs?: number;
  /** Long-poll hold when no event (default 10_000). */
  pollHoldMs?: number;
  /** EVENT_PUSH_FAIL_INTERVALTIME (default 10_000). */
  pushRetryIntervalMs?: number;
  /** EVENT_PUSH_FAIL_TOTALTIME, then forced sign-out (default 120_000). */
  pushFailTotalMs?: number;
  /** Default: the real clock (Date.now). */
  clock?: Clock;
  /** Default: defaultScenario(). */
  scenario?: Scenario;
  /** HTTPS only: where to write the CA PEM; default `${os.tmpdir()}/qc-slack-simulator/ca.pem`. */
  caFile?: string;
  /** No request lines on stdout. Default true for startSimulator(); the CLI prints unless --quiet. */
  quiet?: boolean;
  /**
   * Calls that start and end on their own from the start (`true` = the default settings). Default off;
   * `sim.traffic.set({on})` or `POST /sim/traffic` at run time.
   */
  traffic?: boolean | Partial<TrafficSettings>;
}

export interface SimConfig {
  profile: SimProfile;
  elbCookie: boolean;
  authMode: 1 | 2;
  guidIntervalMs: number;
  guidTimeoutMs: number;
  heartbeatTimeoutMs: number;
  pollHoldMs: number;
  pushRetryIntervalMs: number;
  pushFailTotalMs: number;
  clock: Clock;
  scenario: Scenario;
  quiet: boolean;
}

export const DEFAULT_CA_FILE = join(tmpdir(), 'qc-slack-simulator', 'ca.pem');

export function resolveConfig(o: SimulatorOptions = {}): SimConfig {
  const authMode = o.authMode ?? 2;
  if (authMode !== 1 && authMode !== 2)
    throw new RangeError(`authMode must be 1 or 2 (got ${String(authMode)})`);
  const profile = o.profile ?? 'default';
  if (!SIM_PROFILES.includes(profile))
    throw new RangeError(`profile must be one of ${SIM_PROFILES.join(', ')} (got ${String(profile)})`);
  const cfg: SimConfig = {
    profile,
    elbCookie: o.elbCookie ?? false,
    authMode,
    guidIntervalMs: ms(o.guidIntervalMs, 60_000, 'guidIntervalMs'),
    guidTimeoutMs: ms(o.guidTimeoutMs, 120_000, 'guidTimeoutMs'),
    heartbeatTimeoutMs: ms(o.heartbeatTimeoutMs, 120_000, 'heartbeatTimeoutMs'),
    pollHoldMs: ms(o.pollHoldMs, 10_000, 'pollHoldMs', 0),
    pushRetryIntervalMs: ms(o.pushRetryIntervalMs, 10_000, 'pushRetryIntervalMs'),
    pushFailTotalMs: ms(o.pushFailTotalMs, 120_000, 'pushFailTotalMs'),
    clock: o.clock ?? realClock,
    scenario: o.scenario ?? defaultScenario(),
    quiet: o.quiet ?? true,
  };
  if (cfg.guidIntervalMs >= cfg.guidTimeoutMs)
    throw new RangeError(
      `guidIntervalMs (${cfg.guidIntervalMs}) must be less than guidTimeoutMs (${cfg.guidTimeoutMs}), as on the gateway`,
    );
  return cfg;
}

function ms(v: number | undefined, dflt: number, name: string, min = 1): number {
  if (v === undefined) return dflt;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min)
    throw new RangeError(`${name} must be a number >= ${min} (got ${String(v)})`);
  return v;
}
