import { receiveAlert } from '../alerts/receive';
import { alertsFunctionConfig } from '../config';
import { buildAlertsDeps } from '../runtime/alerts-deps';
import { bodyOf, type HttpEvent, type HttpResult, headersOf, jsonResult } from '../runtime/http-event';
import { withSecrets } from '../runtime/secrets';

const deps = buildAlertsDeps(alertsFunctionConfig(await withSecrets()));

/** λ alerts: HMAC-signed monitoring alerts (POST /alerts) → a Block Kit alert with QC buttons. */
export async function handler(event: HttpEvent): Promise<HttpResult> {
  const method = event.requestContext?.http?.method;
  const result = await receiveAlert(deps, {
    ...(method ? { method } : {}),
    headers: headersOf(event),
    body: bodyOf(event),
  });
  return jsonResult(result.status, result.body);
}
