/** `npm run simulator -- --port 8043 [--http] [--scenario f.json] …` — the simulator as a standalone server. */
import { parseArgs } from 'node:util';
import { FakeClock } from './clock';
import { type RunningSimulator, startSimulator } from './index';
import { DEFAULT_CA_FILE, SIM_PROFILES, type SimProfile, type SimulatorOptions } from './options';
import { defaultScenario, loadScenarioFile, resolveScenario, type Scenario, ScenarioError } from './scenario';
import type { TrafficSettings } from './traffic';

const USAGE = `CC-Gateway simulator (fake Huawei CC-Gateway agent REST API)

Usage: npm run simulator -- [options]

  --port N                 port to listen on (default 8043; 0 = any free port)
  --host H                 address to bind (default 127.0.0.1)
  --http                   plain HTTP instead of HTTPS
  --ca-file PATH           where to write the CA certificate (default ${DEFAULT_CA_FILE})
  --scenario FILE          scenario JSON file (default: the built-in demo scenario)
  --extra-inspectors N     add N inspectors with QC permission, IDs 10001.., VDN 1 (load tests)
  --profile default|legacy route table: legacy = the 2018 gateway (404 for handshake, heartbeat,
                           updateGuid and intercept by call ID); default = everything
  --elb-cookie             behind a sticky load balancer: sign-in sets the huaweielbsession cookie,
                           a request without it is answered 100-006 (another node)
  --auth-mode 1|2          1 static Guid, 2 dynamic Guid (default 2)
  --guid-interval-ms N     Guid rotation period (default 60000)
  --guid-timeout-ms N      Guid lifetime (default 120000)
  --heartbeat-timeout-ms N sign-out after this long without poll/handshake (default 120000)
  --poll-hold-ms N         long-poll hold when no event (default 10000)
  --push-retry-interval-ms N   push retry period (default 10000)
  --push-fail-total-ms N   forced sign-out after failing pushes for this long (default 120000)
  --fake-clock             use a fake clock, moved only by POST /sim/clock/advance {"ms":N}
  --traffic                customer calls start and end on their own (ringing, talking, wrap-up)
  --calls-per-minute N     traffic: mean arrival rate over all agents (default 10; implies --traffic)
  --mean-talk-seconds N    traffic: mean talk time (default 60; implies --traffic)
  --seed N                 traffic: seed of the random choices and caller numbers (default 1)
  --quiet                  do not print one line per request
  -h, --help               this help

Control API: GET /sim/state, GET|POST /sim/profile, POST /sim/calls {agentId}, DELETE /sim/calls/{agentId},
GET /sim/requests[?since=N], POST|DELETE /sim/faults, POST /sim/clock/advance {ms}, POST /sim/reset,
GET|POST /sim/traffic, GET|POST|DELETE /sim/burst, GET|POST|DELETE /sim/phone, POST /sim/phone/answer.
`;

class UsageError extends Error {}

const OPTIONS = {
  port: { type: 'string' },
  host: { type: 'string' },
  http: { type: 'boolean' },
  'ca-file': { type: 'string' },
  scenario: { type: 'string' },
  'extra-inspectors': { type: 'string' },
  'auth-mode': { type: 'string' },
  profile: { type: 'string' },
  'elb-cookie': { type: 'boolean' },
  'guid-interval-ms': { type: 'string' },
  'guid-timeout-ms': { type: 'string' },
  'heartbeat-timeout-ms': { type: 'string' },
  'poll-hold-ms': { type: 'string' },
  'push-retry-interval-ms': { type: 'string' },
  'push-fail-total-ms': { type: 'string' },
  'fake-clock': { type: 'boolean' },
  traffic: { type: 'boolean' },
  'calls-per-minute': { type: 'string' },
  'mean-talk-seconds': { type: 'string' },
  seed: { type: 'string' },
  quiet: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS }>>['values'];

function int(
  values: Values,
  name: keyof Values,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (typeof raw !== 'string' || !/^[0-9]+$/.test(raw) || n < min || n > max)
    throw new UsageError(`--${name} must be an integer from ${min} to ${max} (got ${JSON.stringify(raw)})`);
  return n;
}

async function options(values: Values): Promise<SimulatorOptions> {
  const o: SimulatorOptions = { port: int(values, 'port', 0, 65535) ?? 8043, quiet: values.quiet ?? false };
  if (values.host !== undefined) o.host = values.host;
  if (values.http) o.http = true;
  if (values['ca-file'] !== undefined) o.caFile = values['ca-file'];
  if (values.profile !== undefined) {
    if (!(SIM_PROFILES as readonly string[]).includes(values.profile))
      throw new UsageError(
        `--profile must be one of ${SIM_PROFILES.join(', ')} (got ${JSON.stringify(values.profile)})`,
      );
    o.profile = values.profile as SimProfile;
  }
  if (values['elb-cookie']) o.elbCookie = true;
  const authMode = int(values, 'auth-mode', 1, 2);
  if (authMode !== undefined) o.authMode = authMode as 1 | 2;
  const ms: [keyof Values, keyof SimulatorOptions, number][] = [
    ['guid-interval-ms', 'guidIntervalMs', 1],
    ['guid-timeout-ms', 'guidTimeoutMs', 1],
    ['heartbeat-timeout-ms', 'heartbeatTimeoutMs', 1],
    ['poll-hold-ms', 'pollHoldMs', 0],
    ['push-retry-interval-ms', 'pushRetryIntervalMs', 1],
    ['push-fail-total-ms', 'pushFailTotalMs', 1],
  ];
  for (const [flag, key, min] of ms) {
    const v = int(values, flag, min);
    if (v !== undefined) (o as Record<string, unknown>)[key] = v;
  }
  if (values['fake-clock']) o.clock = new FakeClock(Date.now());
  const traffic = trafficOption(values);
  if (traffic) o.traffic = traffic;
  let scenario: Scenario =
    values.scenario !== undefined ? await loadScenarioFile(values.scenario) : defaultScenario();
  const extra = int(values, 'extra-inspectors', 1, 100_000);
  if (extra !== undefined)
    scenario = { ...scenario, extraInspectors: { from: 10_001, count: extra, vdn: 1 } };
  o.scenario = scenario;
  return o;
}

/** --traffic and its settings (a setting alone turns traffic on). */
function trafficOption(values: Values): Partial<TrafficSettings> | undefined {
  const t: Partial<TrafficSettings> = {};
  const cpm = int(values, 'calls-per-minute', 1, 60_000);
  const talk = int(values, 'mean-talk-seconds', 1, 86_400);
  const seed = int(values, 'seed', 0, 4_294_967_295);
  if (cpm !== undefined) t.callsPerMinute = cpm;
  if (talk !== undefined) t.meanTalkSeconds = talk;
  if (seed !== undefined) t.seed = seed;
  return values.traffic || cpm !== undefined || talk !== undefined ? t : undefined;
}

function banner(run: RunningSimulator, o: SimulatorOptions, customScenario: boolean): string {
  const agents = resolveScenario(o.scenario);
  const insp = agents.filter((a) => a.inspector);
  const shown = insp.slice(0, 6).map((a) => `${a.id}${a.qc ? '' : ' (no QC permission)'} [VDN ${a.vdn}]`);
  const more = insp.length > 6 ? `, … (${insp.length} inspectors)` : '';
  const onCall = agents.filter((a) => a.onCall).map((a) => `${a.id} [VDN ${a.vdn}]`);
  const desk = agents.filter((a) => a.signedIn);
  const first = insp.find((a) => a.qc) ?? insp[0] ?? agents[0];
  const cacert = run.caFile ? `--cacert ${run.caFile} ` : '';
  const lines = [
    `CC-Gateway simulator listening on ${run.url}`,
    run.caFile ? `CA certificate: ${run.caFile}` : 'Plain HTTP (no TLS)',
    '',
    `  export CCGW_BASE_URL=${run.url}${run.caFile ? ` CCGW_CA_FILE=${run.caFile}` : ''}`,
    '',
  ];
  if (first) {
    lines.push(
      'Sign in (the Guid comes back in the Set-GUID response header):',
      `  curl ${cacert}-i -X PUT -H 'Content-Type: application/json; charset=UTF-8' \\`,
      `    -d '{"password":"${first.password}","phonenum":"${first.phone ?? ''}","status":4}' \\`,
      `    ${run.url}/agentgateway/resource/onlineagent/${first.id}`,
      '',
    );
  }
  lines.push(
    `Inspectors (signed out): ${shown.join(', ')}${more}`,
    `Agents signed in: ${desk.length} (${compactIds(desk.map((a) => a.id))}); on calls: ${onCall.join(', ') || 'none'}`,
    customScenario ? '' : 'Password of every demo ID: simulator',
    skillsLine(o.scenario, agents),
    trafficLine(run),
    `Auth mode ${o.authMode ?? 2}; profile ${o.profile ?? 'default'}${o.elbCookie ? ' behind a sticky load balancer (huaweielbsession cookie)' : ''}${o.clock ? '; fake clock (POST /sim/clock/advance)' : ''}. Control API: ${run.url}/sim/state`,
  );
  return lines.filter((l, i, a) => !(l === '' && a[i - 1] === '')).join('\n');
}

function skillsLine(scenario: Scenario | undefined, agents: ReturnType<typeof resolveScenario>): string {
  const skills = scenario?.skills ?? [];
  if (skills.length === 0) return 'Skill queues: none';
  const of = (id: number) =>
    compactIds(agents.filter((a) => a.skills.includes(id)).map((a) => a.id)) || 'no agents';
  return `Skill queues: ${skills.map((k) => `${k.id} ${k.name} (${of(k.id)})`).join('; ')}`;
}

function trafficLine(run: RunningSimulator): string {
  const t = run.sim.traffic.status();
  if (!t.on) return 'Traffic off (--traffic, or POST /sim/traffic {"on":true})';
  return `Traffic on: ${t.callsPerMinute} calls a minute, ${t.meanTalkSeconds} s talk on average, seed ${t.seed} (POST /sim/traffic {"on":false} stops it)`;
}

function compactIds(ids: string[]): string {
  const nums = ids.map(Number).sort((a, b) => a - b);
  const out: string[] = [];
  for (let i = 0; i < nums.length; ) {
    let j = i;
    while (j + 1 < nums.length && nums[j + 1] === (nums[j] as number) + 1) j++;
    out.push(j > i ? `${nums[i]}–${nums[j]}` : String(nums[i]));
    i = j + 1;
  }
  return out.join(', ');
}

async function main(argv: string[]): Promise<number | undefined> {
  let o: SimulatorOptions;
  let values: Values;
  try {
    values = parseArgs({ args: argv, options: OPTIONS, strict: true, allowPositionals: false }).values;
    if (values.help) {
      process.stdout.write(USAGE);
      return 0;
    }
    o = await options(values);
  } catch (err) {
    const msg =
      err instanceof UsageError || err instanceof ScenarioError ? err.message : (err as Error).message;
    process.stderr.write(`simulator: ${msg}\nRun with --help for usage.\n`);
    return 2;
  }
  let run: RunningSimulator;
  try {
    run = await startSimulator(o);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const why = e.code === 'EADDRINUSE' ? `port ${o.port} is already in use (try --port 0)` : e.message;
    process.stderr.write(`simulator: cannot start: ${why}\n`);
    return 1;
  }
  process.stdout.write(`${banner(run, o, values.scenario !== undefined)}\n`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`\n${signal}: closing the simulator\n`);
    run.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  return undefined;
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== undefined) process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`simulator: ${(err as Error).stack ?? String(err)}\n`);
    process.exitCode = 1;
  },
);
