/**
 * What the page loads first (GET /console/api/state) and how store items are shaped for it (also over
 * SSE): users, channels, the manifest's slash commands, the /qc subcommands, messages, modals, Home tabs,
 * files and the simulator's snapshot.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { QC_OPERATIONS } from '../../src/qc/model';
import { USAGE } from '../../src/slack/parse';
import type { StoredFile, StoredMessage, StoredView } from '../slack-api/index';
import type { ConsoleContext } from './context';
import { FAULT_PRESET_NOTES, FAULT_PRESETS, simView } from './sim-bridge';

export interface ManifestCommand {
  command: string;
  description: string;
  usage_hint: string;
}

export interface Subcommand {
  name: string;
  usage: string;
  example: string;
}

const MANIFEST = new URL('../../slack-manifest.yml', import.meta.url);

let commands: ManifestCommand[] | undefined;

/** The slash commands of slack-manifest.yml (read once). */
export function manifestCommands(): ManifestCommand[] {
  if (commands) return commands;
  const manifest = parse(readFileSync(MANIFEST, 'utf8')) as {
    features?: { slash_commands?: Partial<ManifestCommand>[] };
  };
  commands = (manifest.features?.slash_commands ?? []).map((c) => ({
    command: String(c.command ?? ''),
    description: String(c.description ?? ''),
    usage_hint: String(c.usage_hint ?? ''),
  }));
  return commands;
}

/** The /qc subcommands with their usage and an example (src/slack/parse.ts USAGE, the help text). */
export function qcSubcommands(): Subcommand[] {
  const simple = (name: string, usage: string, example = usage): Subcommand => ({ name, usage, example });
  const agentOps = QC_OPERATIONS.filter((op) => !op.startsWith('switch-')).map((op) =>
    simple(op, `/qc ${op} <agent-id>`, `/qc ${op} 2005`),
  );
  return [
    simple('help', '/qc help', '/qc help'),
    simple('signin', '/qc signin'),
    simple('status', '/qc status'),
    ...agentOps.slice(0, 6),
    { name: 'switch', ...USAGE.switch },
    ...agentOps.slice(6),
    { name: 'release-call', ...USAGE.release },
    { name: 'who', ...USAGE.who },
    { name: 'audit', ...USAGE.audit },
    simple('signout', '/qc signout'),
    { name: 'link', ...USAGE.link },
    { name: 'unlink', ...USAGE.unlink },
    { name: 'allow', ...USAGE.allow },
    {
      name: 'deny',
      usage: USAGE.allow.usage.replace('allow|deny', 'deny'),
      example: '/qc deny @alice force',
    },
  ];
}

/** A message as the page gets it (no edit history, no response_url id). */
export function messageOut(m: StoredMessage) {
  const { history: _history, viaResponseUrl: _via, ...rest } = m;
  return rest;
}

/** A view as the page gets it (no trigger_id). */
export function viewOut(v: StoredView) {
  const { triggerId: _trigger, ...rest } = v;
  return rest;
}

/** A file's metadata and its download link (the bytes are served by GET /console/api/files/<id>). */
export function fileOut(f: StoredFile) {
  const { bytes: _bytes, content: _content, ...rest } = f;
  return { ...rest, url: `/console/api/files/${encodeURIComponent(f.id)}` };
}

const FAULT_LABELS: Record<(typeof FAULT_PRESETS)[number], string> = {
  down: 'Gateway down',
  '900-003': 'QC refused: 900-003',
  slow: 'Slow gateway (2 s)',
};

export function consoleState(ctx: ConsoleContext) {
  const store = ctx.slack.store;
  return {
    team: ctx.teamId,
    bot: { id: ctx.slack.botUserId, botId: ctx.slack.botId, name: 'qc-slack' },
    users: ctx.users,
    channels: ctx.channels,
    commands: manifestCommands(),
    subcommands: qcSubcommands(),
    messages: store.messages.filter((m) => !m.deleted).map(messageOut),
    views: store.views.filter((v) => v.closedAt === undefined).map(viewOut),
    homes: Object.fromEntries([...store.homeViews].map(([user, v]) => [user, viewOut(v)])),
    files: store.files.map(fileOut),
    faultPresets: FAULT_PRESETS.map((kind) => ({
      kind,
      label: FAULT_LABELS[kind],
      note: FAULT_PRESET_NOTES[kind],
    })),
    sim: ctx.sim ? simView(ctx.sim) : null,
  };
}
