/**
 * The logging surface every layer of the app takes (pino-compatible: object first, message second).
 * `log.ts` makes the real one; the gateway client has its own port of the same shape
 * (`gateway/logger.ts`), since `gateway/` knows nothing of the app.
 */
export interface Logger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}
