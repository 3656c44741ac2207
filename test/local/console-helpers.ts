import { type LocalStack, startLocalStack } from '../../local/stack';
import { captureLogger } from '../helpers/log-capture';

/** A whole local stack with the console (fast polls), quiet. */
export function startConsoleStack(): Promise<LocalStack> {
  return startLocalStack({
    simulator: { pollHoldMs: 100 },
    keeper: { rescanMs: 100 },
    logger: captureLogger(),
  });
}

export interface JsonAnswer {
  status: number;
  json: Record<string, unknown>;
}

/** A JSON request to the console bridge, as the page sends it. */
export async function bridge(
  stack: LocalStack,
  path: string,
  body?: unknown,
  method = body === undefined ? 'GET' : 'POST',
): Promise<JsonAnswer> {
  const res = await fetch(`${stack.url}/console/api/${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await res.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    json = { text };
  }
  return { status: res.status, json };
}

/** `/qc signin` and the modal submitted with the simulator's password, through the bridge. */
export async function signInViaBridge(stack: LocalStack, user = 'U_DEMO'): Promise<void> {
  const before = stack.slack.store.views.length;
  const ack = await bridge(stack, 'command', { user, channel: 'C_QC', text: '/qc signin' });
  if (ack.status !== 200) throw new Error(`signin: ${JSON.stringify(ack.json)}`);
  const view = await stack.slack.store.waitFor((s) => s.views.slice(before).find((v) => v.user === user));
  const submitted = await bridge(stack, 'view', {
    user,
    viewId: view.id,
    values: { qc_password: { password_input: 'simulator' } },
  });
  if (submitted.json.response_action !== 'update')
    throw new Error(`signin: ${JSON.stringify(submitted.json)}`);
}
