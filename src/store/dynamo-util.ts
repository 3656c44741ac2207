import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';

export const isConditionFailure = (err: unknown): boolean =>
  err instanceof ConditionalCheckFailedException ||
  (err as { name?: string })?.name === 'ConditionalCheckFailedException';

/** An item without its table bookkeeping (keys, index keys, TTL). */
export function strip<T>(item: Record<string, unknown> | undefined, extra: string[] = []): T | undefined {
  if (!item) return undefined;
  const copy: Record<string, unknown> = { ...item };
  for (const k of ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'ttl', ...extra]) delete copy[k];
  return copy as T;
}
