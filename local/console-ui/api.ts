/** The bridge's JSON routes (local/console/routes.ts). Errors carry the bridge's words. */
import type { ConsoleState, Obj } from './types';

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

async function call(method: string, path: string, body?: unknown): Promise<Obj> {
  let res: Response;
  try {
    res = await fetch(`/console/api/${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch {
    throw new ApiError('The local stack is not answering (is npm start still running?)', 0);
  }
  let json: Obj = {};
  try {
    json = (await res.json()) as Obj;
  } catch {
    // a non-JSON answer: the status says enough
  }
  if (!res.ok) {
    const words = typeof json.error === 'string' ? json.error : `HTTP ${res.status}`;
    throw new ApiError(words, res.status);
  }
  return json;
}

export const api = {
  state: () => call('GET', 'state') as unknown as Promise<ConsoleState>,
  command: (user: string, channel: string, text: string) => call('POST', 'command', { user, channel, text }),
  action: (body: {
    user: string;
    channel?: string;
    messageTs?: string;
    viewId?: string;
    actionId: string;
    value?: string;
  }) => call('POST', 'action', body),
  submitView: (user: string, viewId: string, values: Record<string, Record<string, string>>) =>
    call('POST', 'view', { user, viewId, values }),
  closeView: (user: string, viewId: string) => call('POST', 'view-close', { user, viewId }),
  home: (user: string) => call('POST', 'home', { user }),
  alert: (body: { channel: string; agentId: string; reason: string; severity: string; customer?: string }) =>
    call('POST', 'alert', body),
  simCall: (agentId: string, action: 'start' | 'end') => call('POST', 'sim/call', { agentId, action }),
  injectFault: (kind: string) => call('POST', 'sim/fault', { kind }),
  clearFaults: () => call('DELETE', 'sim/fault'),
  setTraffic: (change: { on?: boolean; callsPerMinute?: number }) => call('POST', 'sim/traffic', change),
};
