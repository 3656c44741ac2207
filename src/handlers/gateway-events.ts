import { receivePush } from '../qc/push-events';
import { workerDepsFromEnv } from '../runtime/worker-deps';

const deps = workerDepsFromEnv();

interface HttpEvent {
  headers?: Record<string, string | undefined>;
  body?: string;
  isBase64Encoded?: boolean;
}

/** λ gateway-events: the gateway's push callback (POST /gateway/events). */
export async function handler(
  event: HttpEvent,
): Promise<{ statusCode: number; headers: Record<string, string>; body: string }> {
  const body = event.isBase64Encoded
    ? Buffer.from(event.body ?? '', 'base64').toString('utf8')
    : (event.body ?? '');
  const headers = Object.fromEntries(
    Object.entries(event.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]),
  );
  const result = await receivePush(deps, { headers, body });
  return {
    statusCode: result.status,
    headers: { 'content-type': 'application/json; charset=UTF-8' },
    body: JSON.stringify(result.body),
  };
}
