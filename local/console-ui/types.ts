/** What the bridge sends the page (GET /console/api/state and the SSE events). */
export type Obj = Record<string, unknown>;

export interface User {
  id: string;
  name: string;
  realName: string;
  role: 'inspector' | 'admin' | 'unlinked';
  inspectorId?: string;
  phone?: string;
  dm: string;
}

export interface Msg {
  channel: string;
  ts: string;
  threadTs?: string;
  replyBroadcast?: boolean;
  text?: string;
  blocks?: Obj[];
  files?: { id: string; name: string; title: string }[];
  user: string;
  botId: string;
  ephemeralTo?: string;
  edits: number;
  deleted?: boolean;
  postedAt: number;
  updatedAt: number;
}

export interface View {
  id: string;
  type: 'modal' | 'home';
  view: Obj & { blocks?: Obj[] };
  user?: string;
  hash: string;
  openedAt: number;
  updatedAt: number;
  closedAt?: number;
  previousViewId?: string;
}

export interface FileMeta {
  id: string;
  name: string;
  title: string;
  size: number;
  url: string;
  channels: string[];
}

export interface Agent {
  id: string;
  vdn: number;
  inspector: boolean;
  qc: boolean;
  signedIn: boolean;
  state: number;
  stateName: string;
  callId: string | null;
  monitoring: { target: string; mode: string } | null;
  monitoredBy: { inspector: string; mode: string }[];
}

export interface Call {
  callId: string;
  owner: string;
  agentId: string;
  caller: string;
  called: string;
  startedAt: number;
  intercepted: boolean;
}

export interface Snapshot {
  now: number;
  agents: Agent[];
  calls: Call[];
  faults: { interface: string; kind: string; retcode?: string; ms?: number }[];
  /** The simulator's traffic (calls that start and end on their own). */
  traffic?: Traffic;
}

export interface Traffic {
  on: boolean;
  callsPerMinute: number;
  meanTalkSeconds: number;
  started: number;
  missed: number;
}

export interface Command {
  command: string;
  description: string;
  usage_hint: string;
}

export interface Subcommand {
  name: string;
  usage: string;
  example: string;
}

export interface FaultPreset {
  kind: string;
  label: string;
  note: string;
}

export interface ConsoleState {
  team: string;
  bot: { id: string; botId: string; name: string };
  users: User[];
  channels: { id: string; name: string }[];
  commands: Command[];
  subcommands: Subcommand[];
  messages: Msg[];
  views: View[];
  homes: Record<string, View>;
  files: FileMeta[];
  faultPresets: FaultPreset[];
  sim: Snapshot | null;
}

export type SlackEvent =
  | { type: 'message' | 'update' | 'delete'; message: Msg }
  | { type: 'view' | 'home'; view: View }
  | { type: 'file'; file: FileMeta }
  | { type: 'reset' };
