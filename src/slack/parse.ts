import { type AgentIdCheck, checkAgentId, checkCallId } from '../gateway/agent-id';
import type { FloorScope } from '../qc/floor';
import { CONFIRMED_OPERATIONS, QC_OPERATIONS, type QcOperation } from '../qc/model';
import { PERMISSIONS, type Permission, parsePermissions } from '../qc/permissions';
import { auditArgsWords, parseAuditArgs } from './audit-args';
import { mentionedUserId } from './mention';

/** What a `/qc …` or `/intercept …` command asks for. Parsing never throws. */
export type ParsedCommand =
  | { kind: 'help'; topic?: string }
  | { kind: 'qc'; op: QcOperation; agentId: string }
  /** An operation that needs a confirmation click first (force-*, release-call). */
  | { kind: 'confirm'; op: QcOperation | 'release-call'; target: string }
  | { kind: 'permissions'; change: 'allow' | 'deny'; userId: string; permissions: Permission[] }
  | { kind: 'who'; agentId?: string }
  | { kind: 'audit'; words: string[] }
  /** `/qc floor [all|<skill-id>] [share]`: the floor in the requester's DM, or in the channel with `share`. */
  | { kind: 'floor'; scope: FloorScope; share: boolean }
  /** `phone` is the admin-set soft-phone; `allowedPhones` the other numbers the inspector may pick. */
  | { kind: 'link'; userId: string; inspectorId: string; phone?: string; allowedPhones?: string[] }
  | { kind: 'unlink'; userId: string }
  | { kind: 'status' }
  | { kind: 'signin' }
  | { kind: 'signout' }
  | { kind: 'usage'; problem: string; usage: string; example: string };

export const USAGE = {
  intercept: { usage: '/intercept <agent-id>', example: '/intercept 2005' },
  qcOp: { usage: '/qc listen|insert|whisper|stop|intercept <agent-id>', example: '/qc listen 2005' },
  link: {
    usage: '/qc link @user <inspector-id> <phone>[,<other allowed phones>]',
    example: '/qc link @alice 1001 70001,70009',
  },
  unlink: { usage: '/qc unlink @user', example: '/qc unlink @alice' },
  switch: { usage: '/qc switch listen|insert|whisper <agent-id>', example: '/qc switch whisper 2005' },
  release: { usage: '/qc release-call <call-id>', example: '/qc release-call 1732500000-2005' },
  allow: {
    usage: `/qc allow|deny @user <${PERMISSIONS.join(',')}|all>`,
    example: '/qc allow @alice listen,whisper,intercept',
  },
  who: { usage: '/qc who [agent-id]', example: '/qc who 2005' },
  audit: { usage: '/qc audit [export] [@user | <agent-id>] [today|7d]', example: '/qc audit 2005 7d' },
  floor: { usage: '/qc floor [all|<skill-id>] [share]', example: '/qc floor 1 share' },
} as const;

const PHONE = /^\+?[0-9]{2,24}$/;
/** At most this many soft-phones per inspector (the sign-in modal lists them). */
export const MAX_PHONES = 10;

/** `2005`, ` 2005 `, `#2005` → '2005' (validated), or the reason it is not an agent ID. */
export function parseAgentArg(raw: string | undefined, maxAgentId: number): AgentIdCheck {
  const text = (raw ?? '').trim().replace(/^#/, '');
  if (text === '') return { ok: false, reason: 'which agent? Give the agent ID' };
  return checkAgentId(text, maxAgentId);
}

/** "`99999999` is out of range: …" or "`20a5` is not an agent ID: …" (the raw word cut to `max`). */
function badAgent(raw: string, check: Extract<AgentIdCheck, { ok: false }>, max = 20): string {
  return `\`${raw.slice(0, max)}\` ${check.outOfRange ? 'is out of range' : 'is not an agent ID'}: ${check.reason}`;
}

function usage(problem: string, u: { usage: string; example: string }): ParsedCommand {
  return { kind: 'usage', problem, usage: u.usage, example: u.example };
}

function qcOp(
  op: QcOperation,
  arg: string | undefined,
  extra: string[],
  maxAgentId: number,
  u: { usage: string; example: string },
): ParsedCommand {
  if (extra.length > 0) return usage(`\`${op}\` takes one agent ID`, u);
  const agent = parseAgentArg(arg, maxAgentId);
  if (!agent.ok) return usage(arg ? badAgent(arg, agent) : agent.reason, u);
  return { kind: 'qc', op, agentId: agent.id };
}

/** `/intercept <agent>` */
export function parseInterceptCommand(text: string, maxAgentId: number): ParsedCommand {
  const words = text.trim().split(/\s+/).filter(Boolean);
  if (words[0]?.toLowerCase() === 'help') return { kind: 'help', topic: 'intercept' };
  return qcOp('intercept', words[0], words.slice(1), maxAgentId, USAGE.intercept);
}

type Parser = (sub: string, args: string[], maxAgentId: number) => ParsedCommand;

/** `/qc listen|insert|…|force-busy|… <agent>`: the force-* operations ask for a confirmation first. */
const parseOperation: Parser = (sub, args, maxAgentId) => {
  const parsed = qcOp(sub as QcOperation, args[0], args.slice(1), maxAgentId, {
    usage: `/qc ${sub} <agent-id>`,
    example: `/qc ${sub} 2005`,
  });
  if (parsed.kind === 'qc' && (CONFIRMED_OPERATIONS as readonly string[]).includes(parsed.op))
    return { kind: 'confirm', op: parsed.op, target: parsed.agentId };
  return parsed;
};

const parseSwitch: Parser = (_sub, args, maxAgentId) => {
  const mode = args[0]?.toLowerCase();
  if (mode !== 'listen' && mode !== 'insert' && mode !== 'whisper')
    return usage('switch to which mode: listen, insert or whisper?', USAGE.switch);
  return qcOp(`switch-${mode}`, args[1], args.slice(2), maxAgentId, USAGE.switch);
};

const parseRelease: Parser = (_sub, args) => {
  if (args.length !== 1) return usage("give one call ID (from the thread's Talking line)", USAGE.release);
  const call = checkCallId(args[0]);
  if (!call.ok)
    return usage(`\`${(args[0] ?? '').slice(0, 30)}\` is not a call ID: ${call.reason}`, USAGE.release);
  return { kind: 'confirm', op: 'release-call', target: call.id };
};

const parseAllowDeny: Parser = (sub, args) => {
  const user = mentionedUserId(args[0]);
  if (!user) return usage('mention the Slack user (pick them from the list)', USAGE.allow);
  const perms = parsePermissions(args.slice(1).join(' '));
  if (!perms.ok)
    return usage(
      perms.unknown.length
        ? `not a permission: ${perms.unknown.map((w) => `\`${w.slice(0, 20)}\``).join(', ')}`
        : 'which permissions?',
      USAGE.allow,
    );
  return {
    kind: 'permissions',
    change: sub === 'allow' ? 'allow' : 'deny',
    userId: user,
    permissions: perms.permissions,
  };
};

const parseWho: Parser = (_sub, args, maxAgentId) => {
  if (args.length > 1) return usage('at most one agent ID', USAGE.who);
  if (args.length === 0) return { kind: 'who' };
  const agent = parseAgentArg(args[0], maxAgentId);
  if (!agent.ok) return usage(badAgent(args[0] ?? '', agent), USAGE.who);
  return { kind: 'who', agentId: agent.id };
};

const parseAudit: Parser = (_sub, args, maxAgentId) => {
  const parsed = parseAuditArgs(args, maxAgentId);
  if (!parsed.ok) return usage(parsed.problem, USAGE.audit);
  // The canonical words of what was understood (a mention label with spaces can make many raw
  // words, and cutting those for the job changed or broke the request in the worker).
  return { kind: 'audit', words: auditArgsWords(parsed.args) };
};

/** A skill queue ID as the gateway takes it (the job and the button values accept the same). */
const SKILL_ID = /^[0-9]{1,9}$/;

/** `/qc floor [all|<skill-id>] [share]`, the two words in either order, each at most once. */
const parseFloor: Parser = (_sub, args) => {
  let scope: FloorScope | undefined;
  let share = false;
  for (const raw of args) {
    const word = raw.toLowerCase();
    if (word === 'share' && !share) share = true;
    else if (word === 'all' && !scope) scope = { kind: 'vdn' };
    else if (SKILL_ID.test(word) && !scope) scope = { kind: 'skill', skillId: String(Number(word)) };
    else if (word === 'share' || word === 'all' || SKILL_ID.test(word))
      return usage(
        `\`${raw.slice(0, 20)}\` is said twice: one scope (all or a skill ID), share at most once`,
        USAGE.floor,
      );
    else
      return usage(`\`${raw.slice(0, 20)}\` is not a skill ID (digits), \`all\` or \`share\``, USAGE.floor);
  }
  return { kind: 'floor', scope: scope ?? { kind: 'vdn' }, share };
};

const parseLink: Parser = (_sub, args, maxAgentId) => {
  const user = mentionedUserId(args[0]);
  if (!user)
    return usage('mention the Slack user (pick them from the list so Slack makes it a link)', USAGE.link);
  const inspector = parseAgentArg(args[1], maxAgentId);
  if (!inspector.ok) return usage(`the inspector ID: ${inspector.reason}`, USAGE.link);
  if (args.length > 3) return usage('too many words (several phones: commas, no spaces)', USAGE.link);
  const phones = [...new Set((args[2] ?? '').split(',').filter(Boolean))];
  if (!phones.every((p) => PHONE.test(p)))
    return usage('each phone must be digits (a soft-phone number)', USAGE.link);
  if (phones.length > MAX_PHONES) return usage(`at most ${MAX_PHONES} phones`, USAGE.link);
  const [phone, ...allowedPhones] = phones;
  return {
    kind: 'link',
    userId: user,
    inspectorId: inspector.id,
    ...(phone ? { phone } : {}),
    ...(allowedPhones.length ? { allowedPhones } : {}),
  };
};

const parseUnlink: Parser = (_sub, args) => {
  const user = mentionedUserId(args[0]);
  if (!user || args.length > 1) return usage('mention the Slack user to unlink', USAGE.unlink);
  return { kind: 'unlink', userId: user };
};

const parseHelp: Parser = (_sub, args) => ({
  kind: 'help',
  ...(args[0] ? { topic: args[0].toLowerCase() } : {}),
});
const fixed =
  (parsed: ParsedCommand): Parser =>
  () => ({ ...parsed });

/** The /qc subcommands (a Map: a word such as `constructor` must not find Object's own). */
const SUBCOMMANDS = new Map<string, Parser>([
  ...QC_OPERATIONS.map((op): [string, Parser] => [op, parseOperation]),
  ['switch', parseSwitch],
  ['release-call', parseRelease],
  ['release', parseRelease],
  ['allow', parseAllowDeny],
  ['deny', parseAllowDeny],
  ['who', parseWho],
  ['audit', parseAudit],
  ['floor', parseFloor],
  ['help', parseHelp],
  ['status', fixed({ kind: 'status' })],
  ...['signin', 'sign-in', 'login'].map((w): [string, Parser] => [w, fixed({ kind: 'signin' })]),
  ...['signout', 'sign-out', 'logout'].map((w): [string, Parser] => [w, fixed({ kind: 'signout' })]),
  ['link', parseLink],
  ['unlink', parseUnlink],
]);

/** `/qc <subcommand> …` */
export function parseQcCommand(text: string, maxAgentId: number): ParsedCommand {
  const words = text.trim().split(/\s+/).filter(Boolean);
  const sub = (words[0] ?? 'help').toLowerCase();
  const parser = SUBCOMMANDS.get(sub);
  if (parser) return parser(sub, words.slice(1), maxAgentId);
  return usage(`\`${sub.slice(0, 20)}\` is not a /qc command`, {
    usage: '/qc help',
    example: '/qc listen 2005',
  });
}
