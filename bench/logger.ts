/**
 * A logger for benchmarks: warnings and errors go to stderr (stdout carries only the JSON figures) and
 * are counted by message; `mute()` drops what comes after (the noise of closing pools under held polls).
 */

import { createLogger } from '../src/log';
import type { Logger } from '../src/logger';

export interface BenchLogger {
  logger: Logger;
  /** Log lines seen so far, by `msg`. */
  counts(): Record<string, number>;
  mute(): void;
}

export function benchLogger(level = 'warn'): BenchLogger {
  const counts: Record<string, number> = {};
  let muted = false;
  const logger = createLogger(level, {
    write(line: string) {
      if (muted) return;
      let msg = 'unparsed';
      try {
        msg = String((JSON.parse(line) as { msg?: unknown }).msg);
      } catch {}
      counts[msg] = (counts[msg] ?? 0) + 1;
      process.stderr.write(line);
    },
  });
  return { logger, counts: () => ({ ...counts }), mute: () => (muted = true) };
}
