import { receiveAlert } from '../alerts/receive';
import { alertsDepsFromEnv } from '../runtime/alerts-deps';

const deps = alertsDepsFromEnv();

interface HttpEvent {
  headers?: Record<string, string | undefined>;
  body?: string;
  isBase64Encoded?: boolean;
  requestContext?: { http?: { method?: string } };
}

/** λ alerts: HMAC-signed monitoring alerts (POST /alerts) → a Block Kit alert with QC buttons. */
export async function handler(
  event: HttpEvent,
): Promise<{ statusCode: number; headers: Record<string, string>; body: string }> {
  const body = event.isBase64Encoded
    ? Buffer.from(event.body ?? '', 'base64').toString('utf8')
    : (event.body ?? '');
  const result = await receiveAlert(deps, {
    ...(event.requestContext?.http?.method ? { method: event.requestContext.http.method } : {}),
    headers: event.headers ?? {},
    body,
  });
  return {
    statusCode: result.status,
    headers: { 'content-type': 'application/json; charset=UTF-8' },
    body: JSON.stringify(result.body),
  };
}
