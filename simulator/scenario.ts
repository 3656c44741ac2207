import { readFile } from 'node:fs/promises';

/** One agent or inspector of a scenario. IDs are digit strings (numbers are accepted in JSON files). */
export interface ScenarioAgent {
  id: string;
  password: string;
  /** Soft-phone number (informational). */
  phone?: string;
  vdn: number;
  /** QC permission (listen, insert, whisper, intercept, force …). Default false. */
  qc?: boolean;
  /** Marks an inspector: signed out at start unless `signedIn` says otherwise. Default false. */
  inspector?: boolean;
  /**
   * Signed in "on its own desktop" at start (an event queue, a static Guid, no heartbeat expiry).
   * Default: true for agents, false for inspectors.
   */
  signedIn?: boolean;
  /** On a customer call at start (needs signedIn). */
  onCall?: { caller?: string; called?: string };
  /** Skill queues the agent is configured for (IDs listed in `scenario.skills`, same VDN). Default none. */
  skills?: number[];
}

/** A skill queue of a VDN. */
export interface ScenarioSkill {
  id: number;
  name: string;
  vdn: number;
}

export interface Scenario {
  vdns: number[];
  /** Skill queues (IDs unique across the scenario). Default none. */
  skills?: ScenarioSkill[];
  agents: ScenarioAgent[];
  /** Generates many inspectors for load tests: IDs from..from+count-1, QC permission, password `simulator`. */
  extraInspectors?: { from: number; count: number; vdn: number };
  /**
   * Generates many agents for load tests: IDs from..from+count-1, signed in on their desktops and idle
   * (on a customer call each with `onCall: true`), no QC permission, password `simulator`.
   */
  extraAgents?: { from: number; count: number; vdn: number; onCall?: boolean; skills?: number[] };
}

export const DEFAULT_PASSWORD = 'simulator';

export class ScenarioError extends Error {
  override name = 'ScenarioError';
}

/**
 * The default scenario: VDN 1 and 2; inspectors 1001 (QC), 1002 (no QC), 1003 (QC) in VDN 1, signed out;
 * agents 2001–2020 in VDN 1, signed in and idle, 2005 and 2006 on customer calls; agent 3001 in VDN 2 on a call.
 * Skill queues: 1 "Sales" (2001–2010), 2 "Support" (2011–2020) in VDN 1; 3 "Billing" (3001) in VDN 2.
 */
export function defaultScenario(): Scenario {
  const agents: ScenarioAgent[] = [
    { id: '1001', password: DEFAULT_PASSWORD, phone: '70001', vdn: 1, qc: true, inspector: true },
    { id: '1002', password: DEFAULT_PASSWORD, phone: '70002', vdn: 1, qc: false, inspector: true },
    { id: '1003', password: DEFAULT_PASSWORD, phone: '70003', vdn: 1, qc: true, inspector: true },
  ];
  for (let n = 2001; n <= 2020; n++) {
    const a: ScenarioAgent = {
      id: String(n),
      password: DEFAULT_PASSWORD,
      phone: String(60000 + n),
      vdn: 1,
      skills: [n <= 2010 ? 1 : 2],
    };
    if (n === 2005 || n === 2006) a.onCall = { caller: `1390000${n}`, called: '10086' };
    agents.push(a);
  }
  agents.push({
    id: '3001',
    password: DEFAULT_PASSWORD,
    phone: '63001',
    vdn: 2,
    onCall: { caller: '13900003001', called: '10010' },
    skills: [3],
  });
  const skills: ScenarioSkill[] = [
    { id: 1, name: 'Sales', vdn: 1 },
    { id: 2, name: 'Support', vdn: 1 },
    { id: 3, name: 'Billing', vdn: 2 },
  ];
  return { vdns: [1, 2], skills, agents };
}

/** An agent of a scenario with every default filled in. */
export interface ResolvedAgent {
  id: string;
  password: string;
  phone?: string;
  vdn: number;
  qc: boolean;
  inspector: boolean;
  signedIn: boolean;
  onCall?: { caller?: string; called?: string };
  skills: number[];
}

/** Validates a scenario and expands `extraInspectors` and `extraAgents`. Throws ScenarioError naming the bad field. */
export function resolveScenario(input: unknown): ResolvedAgent[] {
  const s = validateScenario(input);
  const out: ResolvedAgent[] = s.agents.map((a) => {
    const inspector = a.inspector ?? false;
    const r: ResolvedAgent = {
      id: a.id,
      password: a.password,
      vdn: a.vdn,
      qc: a.qc ?? false,
      inspector,
      signedIn: a.signedIn ?? !inspector,
      skills: a.skills ?? [],
    };
    if (a.phone !== undefined) r.phone = a.phone;
    if (a.onCall !== undefined) r.onCall = a.onCall;
    return r;
  });
  const seen = new Set(out.map((a) => a.id));
  if (s.extraInspectors) {
    const { from, count, vdn } = s.extraInspectors;
    for (let n = from; n < from + count; n++) {
      const id = String(n);
      if (seen.has(id))
        throw new ScenarioError(`scenario.extraInspectors: generated ID ${id} collides with scenario.agents`);
      seen.add(id);
      out.push({
        id,
        password: DEFAULT_PASSWORD,
        phone: `7${String(n % 10_000).padStart(4, '0')}`,
        vdn,
        qc: true,
        inspector: true,
        signedIn: false,
        skills: [],
      });
    }
  }
  if (s.extraAgents) {
    const { from, count, vdn, onCall, skills = [] } = s.extraAgents;
    for (let n = from; n < from + count; n++) {
      const id = String(n);
      if (seen.has(id))
        throw new ScenarioError(
          `scenario.extraAgents: generated ID ${id} collides with scenario.agents or scenario.extraInspectors`,
        );
      seen.add(id);
      const agent: ResolvedAgent = {
        id,
        password: DEFAULT_PASSWORD,
        phone: `6${String(n % 10_000).padStart(4, '0')}`,
        vdn,
        qc: false,
        inspector: false,
        signedIn: true,
        skills: [...skills],
      };
      if (onCall) agent.onCall = { caller: `139${String(n).padStart(8, '0')}`, called: '10086' };
      out.push(agent);
    }
  }
  return out;
}

/** Checks the JSON shape of a scenario (IDs given as numbers are turned into strings). */
export function validateScenario(input: unknown): Scenario {
  const obj = asObject(input, 'scenario');
  const vdnsRaw = obj.vdns;
  if (!Array.isArray(vdnsRaw) || vdnsRaw.length === 0)
    throw new ScenarioError('scenario.vdns: expected a non-empty array of VDN numbers');
  const vdns = vdnsRaw.map((v, i) => positiveInt(v, `scenario.vdns[${i}]`));
  const skills = obj.skills === undefined ? undefined : validateSkills(obj.skills, vdns);
  const agentsRaw = obj.agents;
  if (!Array.isArray(agentsRaw)) throw new ScenarioError('scenario.agents: expected an array');
  const seen = new Set<string>();
  const agents = agentsRaw.map((raw, i) => {
    const where = `scenario.agents[${i}]`;
    const a = asObject(raw, where);
    const id = agentId(a.id, `${where}.id`);
    if (seen.has(id)) throw new ScenarioError(`${where}.id: duplicate agent ID ${id}`);
    seen.add(id);
    if (typeof a.password !== 'string' || a.password === '')
      throw new ScenarioError(`${where}.password: expected a non-empty string`);
    const vdn = positiveInt(a.vdn, `${where}.vdn`);
    if (!vdns.includes(vdn)) throw new ScenarioError(`${where}.vdn: ${vdn} is not listed in scenario.vdns`);
    const agent: ScenarioAgent = { id, password: a.password, vdn };
    if (a.phone !== undefined) agent.phone = digits(a.phone, `${where}.phone`);
    for (const flag of ['qc', 'inspector', 'signedIn'] as const) {
      const v = a[flag];
      if (v === undefined) continue;
      if (typeof v !== 'boolean') throw new ScenarioError(`${where}.${flag}: expected true or false`);
      agent[flag] = v;
    }
    if (a.onCall !== undefined) {
      const c = asObject(a.onCall, `${where}.onCall`);
      const onCall: { caller?: string; called?: string } = {};
      if (c.caller !== undefined) onCall.caller = digits(c.caller, `${where}.onCall.caller`);
      if (c.called !== undefined) onCall.called = digits(c.called, `${where}.onCall.called`);
      const signedIn = agent.signedIn ?? !agent.inspector;
      if (!signedIn)
        throw new ScenarioError(`${where}.onCall: an agent on a call must be signed in (signedIn: true)`);
      agent.onCall = onCall;
    }
    if (a.skills !== undefined) agent.skills = skillRefs(a.skills, `${where}.skills`, skills, vdn);
    return agent;
  });
  const scenario: Scenario = { vdns, agents };
  if (skills) scenario.skills = skills;
  if (obj.extraInspectors !== undefined) {
    const x = asObject(obj.extraInspectors, 'scenario.extraInspectors');
    const from = positiveInt(x.from, 'scenario.extraInspectors.from');
    const count = nonNegativeInt(x.count, 'scenario.extraInspectors.count');
    const vdn = positiveInt(x.vdn, 'scenario.extraInspectors.vdn');
    if (!vdns.includes(vdn))
      throw new ScenarioError(`scenario.extraInspectors.vdn: ${vdn} is not listed in scenario.vdns`);
    if (count > 100_000) throw new ScenarioError('scenario.extraInspectors.count: at most 100000');
    scenario.extraInspectors = { from, count, vdn };
  }
  if (obj.extraAgents !== undefined) {
    const x = asObject(obj.extraAgents, 'scenario.extraAgents');
    const from = positiveInt(x.from, 'scenario.extraAgents.from');
    const count = nonNegativeInt(x.count, 'scenario.extraAgents.count');
    const vdn = positiveInt(x.vdn, 'scenario.extraAgents.vdn');
    if (!vdns.includes(vdn))
      throw new ScenarioError(`scenario.extraAgents.vdn: ${vdn} is not listed in scenario.vdns`);
    if (count > 100_000) throw new ScenarioError('scenario.extraAgents.count: at most 100000');
    if (x.onCall !== undefined && typeof x.onCall !== 'boolean')
      throw new ScenarioError('scenario.extraAgents.onCall: expected true or false');
    scenario.extraAgents = { from, count, vdn, ...(x.onCall === true ? { onCall: true } : {}) };
    if (x.skills !== undefined)
      scenario.extraAgents.skills = skillRefs(x.skills, 'scenario.extraAgents.skills', skills, vdn);
  }
  return scenario;
}

/** Reads and validates a scenario JSON file. Errors name the file and the bad field. */
export async function loadScenarioFile(path: string): Promise<Scenario> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new ScenarioError(`cannot read scenario file ${path}: ${(err as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ScenarioError(`scenario file ${path} is not valid JSON: ${(err as Error).message}`);
  }
  try {
    const s = validateScenario(json);
    resolveScenario(s);
    return s;
  } catch (err) {
    if (err instanceof ScenarioError) throw new ScenarioError(`${path}: ${err.message}`);
    throw err;
  }
}

function validateSkills(raw: unknown, vdns: number[]): ScenarioSkill[] {
  if (!Array.isArray(raw)) throw new ScenarioError('scenario.skills: expected an array');
  const seen = new Set<number>();
  return raw.map((v, i) => {
    const where = `scenario.skills[${i}]`;
    const o = asObject(v, where);
    const id = positiveInt(o.id, `${where}.id`);
    if (seen.has(id)) throw new ScenarioError(`${where}.id: duplicate skill ID ${id}`);
    seen.add(id);
    if (typeof o.name !== 'string' || o.name === '' || o.name.length > 64)
      throw new ScenarioError(`${where}.name: expected a non-empty string of up to 64 characters`);
    const vdn = positiveInt(o.vdn, `${where}.vdn`);
    if (!vdns.includes(vdn)) throw new ScenarioError(`${where}.vdn: ${vdn} is not listed in scenario.vdns`);
    return { id, name: o.name, vdn };
  });
}

/** An agent's skill list: IDs of `scenario.skills` of the agent's own VDN. */
function skillRefs(raw: unknown, where: string, skills: ScenarioSkill[] | undefined, vdn: number): number[] {
  if (!Array.isArray(raw)) throw new ScenarioError(`${where}: expected an array of skill IDs`);
  return raw.map((v, i) => {
    const id = positiveInt(v, `${where}[${i}]`);
    const skill = skills?.find((s) => s.id === id);
    if (!skill) throw new ScenarioError(`${where}[${i}]: skill ${id} is not listed in scenario.skills`);
    if (skill.vdn !== vdn)
      throw new ScenarioError(`${where}[${i}]: skill ${id} belongs to VDN ${skill.vdn}, not ${vdn}`);
    return id;
  });
}

function asObject(v: unknown, where: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    throw new ScenarioError(`${where}: expected an object`);
  return v as Record<string, unknown>;
}

function positiveInt(v: unknown, where: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1)
    throw new ScenarioError(`${where}: expected a positive integer (got ${JSON.stringify(v)})`);
  return v;
}

function nonNegativeInt(v: unknown, where: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0)
    throw new ScenarioError(`${where}: expected an integer >= 0 (got ${JSON.stringify(v)})`);
  return v;
}

function agentId(v: unknown, where: string): string {
  const s = typeof v === 'number' && Number.isInteger(v) ? String(v) : v;
  if (typeof s !== 'string' || !/^[0-9]{1,10}$/.test(s))
    throw new ScenarioError(`${where}: expected an agent ID made of digits (got ${JSON.stringify(v)})`);
  return s;
}

function digits(v: unknown, where: string): string {
  const s = typeof v === 'number' && Number.isInteger(v) && v >= 0 ? String(v) : v;
  if (typeof s !== 'string' || !/^[0-9]{1,24}$/.test(s))
    throw new ScenarioError(`${where}: expected a string of up to 24 digits (got ${JSON.stringify(v)})`);
  return s;
}
