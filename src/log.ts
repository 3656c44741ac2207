import pino from 'pino';
import type { Logger } from './gateway/logger';

/** Keys whose values are credentials: redacted wherever they appear in a log object. */
const SECRET_KEYS = [
  'guid',
  'password',
  'serviceToken',
  'service_token',
  'token',
  'authorization',
  'cookie',
  'secret',
];

/** JSON logs to stdout (CloudWatch-friendly), with credential keys redacted at any depth of 2. */
export function createLogger(level: string = 'info', destination?: pino.DestinationStream): Logger {
  const paths = SECRET_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`]);
  const logger = pino(
    {
      level,
      base: undefined,
      redact: { paths, censor: '[REDACTED]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination ?? pino.destination({ sync: true }),
  );
  return logger as unknown as Logger;
}
