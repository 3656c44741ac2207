import { type Logger as BoltLogger, LogLevel } from '@slack/bolt';
import type { Logger } from '../logger';

/** Longest Bolt message kept (Bolt's messages are one line; anything longer is a dump). */
const MAX_MESSAGE = 500;
const RANK = { info: 1, warn: 2, error: 3 } as const;
type Level = keyof typeof RANK;

function text(parts: unknown[]): string {
  const joined = parts
    .map((p) => {
      if (p instanceof Error) return `${p.name}: ${p.message}`;
      return p !== null && typeof p === 'object' ? '[object]' : String(p);
    })
    .join(' ');
  return joined.length > MAX_MESSAGE ? `${joined.slice(0, MAX_MESSAGE)}…` : joined;
}

/**
 * Bolt's (and its WebClient's) logger, routed to ours. Bolt's debug level dumps whole requests
 * ("AWS event: {…}" with the sign-in modal's CTI password, "http request body: …"), so Bolt's debug
 * messages are dropped at every level; from `minLevel` (never below info) they go to our logger,
 * which scrubs them too. Objects Bolt passes are only named, never serialised, for the same reason.
 */
export function boltLogger(logger: Logger, minLevel = 'info'): BoltLogger {
  const min = RANK[minLevel as Level] ?? RANK.info;
  const to =
    (level: Level) =>
    (...parts: unknown[]): void => {
      if (RANK[level] >= min) logger[level]({ source: 'bolt' }, text(parts));
    };
  return {
    debug: () => {},
    info: to('info'),
    warn: to('warn'),
    error: to('error'),
    // Bolt's own level setting could only turn its debug dumps back on: the level is fixed here.
    setLevel: () => {},
    getLevel: () => LogLevel.INFO,
    setName: () => {},
  };
}
