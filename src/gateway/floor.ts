/**
 * The floor interfaces' answers, parsed leniently (`../shared/reference/cc-gateway-real-clients.md` §2).
 * CONFIRMED by client code: `allagentstatus` answers an array of `{workno, status, name, groupName,
 * ctiStatus}`, all strings, the caller included. UNCONFIRMED (read when present, never required):
 * `currentstatetime` (CS AGWAgentInfo declares it a long: read as an epoch in ms or s when it looks
 * like one, else as seconds in the state), `skilllist`/`skills`/`skillIds`/`skillid`, `callid`, and the
 * customer's number as `caller`/`callerNo`/`otherPhone` (never `phonenumber`: that is the agent's own
 * phone). `qualitycontrol/{id}/allagent`: no client parses it; the reference infers it lists the agents
 * the inspector may monitor or monitors — each entry is read as an agent, plus who monitors it and how
 * when the entry says (`qcAgentId`/`monitor`/`inspector`, `qcType`/`mode`). Nothing here throws on an
 * odd entry: an entry without a work number is skipped and counted.
 */
import { QC_TYPE } from './events';

/** One agent of `allagentstatus`. `status` is the T1 code, `ctiStatus` the T2 code, when readable. */
export interface AgentStatusEntry {
  workNo: string;
  name?: string;
  /** T1: 0 unknown, 2 signed out, 3 busy, 4 idle, 5 wrap-up, 7 talking, 8 rest, 9 pre-rest. */
  status?: number;
  /** T2 (CTI): 0 signed out, 1 idle, 2 pre-occupied, 3 occupied, 4 answering, 5 talking, 6 wrap-up, 7 busy, 8 rest. */
  ctiStatus?: number;
  group?: string;
  /** Skill queue IDs, when the gateway lists them. */
  skills?: string[];
  /** When the agent entered this state (ms epoch), when the gateway says. */
  sinceMs?: number;
  callId?: string;
  /** The customer's number, when the gateway gives it (mask it before showing it). */
  callerNumber?: string;
}

export interface AllAgentStatusData {
  agents: AgentStatusEntry[];
  /** Entries left out because they had no work number. */
  skipped: number;
  /**
   * With a skill asked for: 'applied' (entries carried skills and were filtered), 'unavailable' (no entry
   * carries skills on this gateway: every agent is returned). Absent without a skill.
   */
  skillFilter?: 'applied' | 'unavailable';
}

/** One entry of `allagent`: an agent, and who monitors it and how when the gateway says. */
/** How the gateway says an agent is monitored (its `qcType`: 8 listen, 9 insert, 20172/20173 whisper). */
export type GatewayMonitorMode = 'listen' | 'insert' | 'whisper';

export interface MonitoredAgentEntry {
  workNo: string;
  monitoredBy?: string;
  mode?: GatewayMonitorMode;
}

export type AllAgentMonitorsData =
  | { supported: true; agents: MonitoredAgentEntry[]; skipped: number }
  /** The gateway has no `allagent` (HTTP 404): nothing to show, not an error. */
  | { supported: false };

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A string or number field as a string; empty and other types read as absent. */
function textField(o: Obj, ...names: string[]): string | undefined {
  for (const name of names) {
    const v = o[name];
    if ((typeof v === 'string' && v.trim() !== '') || (typeof v === 'number' && Number.isFinite(v)))
      return String(v).trim();
  }
  return undefined;
}

function intField(o: Obj, name: string): number | undefined {
  const text = textField(o, name);
  if (text === undefined || !/^-?\d+$/.test(text)) return undefined;
  return Number(text);
}

/** The `result` of a list answer: an array, or an object holding one (some gateways wrap it). */
function listOf(result: unknown): unknown[] {
  if (Array.isArray(result)) return result;
  if (isObj(result)) {
    for (const key of ['agents', 'agentList', 'list', 'data']) {
      const v = result[key];
      if (Array.isArray(v)) return v;
    }
  }
  return [];
}

/** `currentstatetime`: an epoch (ms, or s) when it looks like one, else seconds in the state (under 7 days). */
function sinceOf(o: Obj, now: number): number | undefined {
  const raw = intField(o, 'currentstatetime') ?? intField(o, 'currentStateTime');
  if (raw === undefined || raw < 0) return undefined;
  const epochMs = raw > 1e12 ? raw : raw > 1e9 ? raw * 1000 : undefined;
  if (epochMs !== undefined) return epochMs <= now ? epochMs : undefined;
  return raw < 7 * 86_400 ? now - raw * 1000 : undefined;
}

function skillsOf(o: Obj): string[] | undefined {
  const list = o.skilllist ?? o.skills ?? o.skillList ?? o.skillIds;
  if (Array.isArray(list)) {
    return list
      .map((s) => (isObj(s) ? textField(s, 'id', 'skillid', 'skillId') : textField({ s }, 's')))
      .filter((s): s is string => s !== undefined);
  }
  if (isObj(list)) return Object.keys(list);
  const one = textField(o, 'skillid', 'skillId', 'callskillid');
  return one !== undefined ? one.split(/[;,]/).filter((s) => s !== '') : undefined;
}

function statusEntry(raw: unknown, now: number): AgentStatusEntry | undefined {
  if (!isObj(raw)) return undefined;
  const workNo = textField(raw, 'workno', 'workNo', 'agentId', 'agentid');
  if (workNo === undefined) return undefined;
  const entry: AgentStatusEntry = { workNo };
  const optional: Partial<AgentStatusEntry> = {
    name: textField(raw, 'name', 'agentName'),
    status: intField(raw, 'status') ?? intField(raw, 'agentState'),
    ctiStatus: intField(raw, 'ctiStatus') ?? intField(raw, 'ctistatus'),
    group: textField(raw, 'groupName', 'groupname'),
    skills: skillsOf(raw),
    sinceMs: sinceOf(raw, now),
    callId: textField(raw, 'callid', 'callId'),
    callerNumber: textField(raw, 'caller', 'callerNo', 'otherPhone'),
  };
  for (const [k, v] of Object.entries(optional)) if (v !== undefined) Object.assign(entry, { [k]: v });
  return entry;
}

/** `allagentstatus` → its agents, filtered to one skill queue where the entries say their skills. */
export function parseAllAgentStatus(result: unknown, now: number, skillId?: string): AllAgentStatusData {
  const raw = listOf(result);
  const agents = raw.map((r) => statusEntry(r, now)).filter((a): a is AgentStatusEntry => a !== undefined);
  const data: AllAgentStatusData = { agents, skipped: raw.length - agents.length };
  if (skillId === undefined) return data;
  if (!agents.some((a) => a.skills !== undefined)) return { ...data, skillFilter: 'unavailable' };
  return { ...data, agents: agents.filter((a) => a.skills?.includes(skillId)), skillFilter: 'applied' };
}

const QC_TYPE_MODE: Record<number, GatewayMonitorMode> = {
  [QC_TYPE.listen]: 'listen',
  [QC_TYPE.insert]: 'insert',
  [QC_TYPE.whisper]: 'whisper',
  [QC_TYPE.whisperAlt]: 'whisper',
};
const MODES: readonly GatewayMonitorMode[] = ['listen', 'insert', 'whisper'];

function modeOf(o: Obj): GatewayMonitorMode | undefined {
  const qcType = intField(o, 'qcType') ?? intField(o, 'qctype');
  if (qcType !== undefined) return QC_TYPE_MODE[qcType];
  const mode = textField(o, 'mode', 'monitorMode')?.toLowerCase();
  return MODES.find((m) => m === mode);
}

/** `allagent` → its agents, with who monitors each and how where the entry says. */
export function parseAllAgentMonitors(result: unknown): AllAgentMonitorsData {
  const raw = listOf(result);
  const agents: MonitoredAgentEntry[] = [];
  for (const r of raw) {
    const o = isObj(r) ? r : typeof r === 'string' || typeof r === 'number' ? { workno: r } : undefined;
    const workNo = o && textField(o, 'workno', 'workNo', 'agentId', 'monitoredagent');
    if (!o || workNo === undefined) continue;
    const entry: MonitoredAgentEntry = { workNo };
    const by = textField(o, 'qcAgentId', 'monitor', 'inspector', 'qcworkno');
    const mode = modeOf(o);
    if (by !== undefined) entry.monitoredBy = by;
    if (mode !== undefined) entry.mode = mode;
    agents.push(entry);
  }
  return { supported: true, agents, skipped: raw.length - agents.length };
}
