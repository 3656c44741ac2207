import { workerConfig } from '../config';
import { receivePush } from '../qc/push-events';
import { bodyOf, type HttpEvent, type HttpResult, headersOf, jsonResult } from '../runtime/http-event';
import { withSecrets } from '../runtime/secrets';
import { buildWorkerDeps } from '../runtime/worker-deps';

const deps = buildWorkerDeps(workerConfig(await withSecrets()));

/** λ gateway-events: the gateway's push callback (POST /gateway/events). */
export async function handler(event: HttpEvent): Promise<HttpResult> {
  const result = await receivePush(deps, { headers: headersOf(event), body: bodyOf(event) });
  return jsonResult(result.status, result.body);
}
