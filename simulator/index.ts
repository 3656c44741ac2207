/**
 * CC-Gateway simulator: a stateful fake of the Huawei CC-Gateway agent REST API, in-process for tests
 * (`startSimulator()`) or as a CLI (`npm run simulator`). See simulator/README.md.
 */
import type { AddressInfo } from 'node:net';
import { getTlsMaterial, writeCaFile } from './certs';
import { realClock } from './clock';
import { Simulator } from './model';
import { DEFAULT_CA_FILE, type SimulatorOptions } from './options';
import { createSimServer } from './server';

export { setGuidHeader } from './auth';
export type { BurstRequest, BurstStatus } from './burst';
export { type Clock, FakeClock, realClock } from './clock';
export type { CallFacts, EventSpec, GatewayEvent, QcMode } from './events';
export { QC_TYPE } from './events';
export type { ActiveFault, Fault, FaultKind, LogName } from './faults';
export { FAULT_KINDS, FaultError, LOG_NAMES, QC_LOG_NAMES } from './faults';
export type { SignOutCause, Snapshot, StartCallOptions } from './model';
export { SimError, Simulator } from './model';
export type { SimConfig, SimProfile, SimulatorOptions } from './options';
export { DEFAULT_CA_FILE, ELB_COOKIE, SIM_PROFILES } from './options';
export type { PhoneSetting, PhoneSettings } from './phone';
export type { Scenario, ScenarioAgent, ScenarioSkill } from './scenario';
export {
  DEFAULT_PASSWORD,
  defaultScenario,
  loadScenarioFile,
  ScenarioError,
  validateScenario,
} from './scenario';
export type { TrafficSettings, TrafficStatus } from './traffic';
export { DEFAULT_TRAFFIC } from './traffic';
export type { AgentStateCode, AgentView, CallView, RequestLogEntry } from './types';

export interface RunningSimulator {
  /** e.g. 'https://127.0.0.1:8043' (no trailing slash). */
  url: string;
  /** PEM of the CA that signed the server certificate (HTTPS only). */
  caPem?: string;
  /** Where caPem was written (HTTPS only). */
  caFile?: string;
  sim: Simulator;
  /** Closes the server, all sockets (held long polls included) and timers. */
  close(): Promise<void>;
}

export async function startSimulator(opts: SimulatorOptions = {}): Promise<RunningSimulator> {
  const sim = new Simulator(opts);
  const host = opts.host ?? '127.0.0.1';
  const port = opts.port ?? 0;
  let caPem: string | undefined;
  let caFile: string | undefined;
  let tls: { key: string; cert: string } | undefined;
  if (!opts.http) {
    const m = await getTlsMaterial();
    caPem = m.caCert;
    caFile = opts.caFile ?? DEFAULT_CA_FILE;
    await writeCaFile(caFile, caPem);
    tls = { key: m.key, cert: m.cert };
  }
  const srv = createSimServer(sim, tls);
  await new Promise<void>((resolve, reject) => {
    srv.server.once('error', reject);
    srv.server.listen(port, host, () => {
      srv.server.off('error', reject);
      resolve();
    });
  });
  const addr = srv.server.address() as AddressInfo;
  const url = `${opts.http ? 'http' : 'https'}://${urlHost(host)}:${addr.port}`;
  const timer = sim.config.clock === realClock ? setInterval(() => sim.tick(), 1_000) : undefined;
  timer?.unref();
  // Traffic, bursts and late phone answers are due at exact times: run them every 100 ms.
  const due = sim.config.clock === realClock ? setInterval(() => sim.runDue(), 100) : undefined;
  due?.unref();
  let closing: Promise<void> | undefined;
  const running: RunningSimulator = {
    url,
    sim,
    close: () => {
      closing ??= (async () => {
        if (timer) clearInterval(timer);
        if (due) clearInterval(due);
        const closed = srv.close();
        await sim.shutdown();
        await closed;
      })();
      return closing;
    },
  };
  if (caPem !== undefined) running.caPem = caPem;
  if (caFile !== undefined) running.caFile = caFile;
  return running;
}

function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}
