/**
 * Socket Mode for the local Slack Web API, as Slack speaks it: `apps.connections.open` (app-level
 * token `xapp-…`) hands out a WebSocket URL; on connect the server says `hello`; requests arrive as
 * envelopes (`slash_commands`, `interactive`, `events_api`) that the app must ack with their
 * `envelope_id` (and, for commands and view submissions, the response payload); `disconnect`
 * (`refresh_requested`) asks the app to open a new connection. The tests drive qc-slack's Socket Mode
 * transport (`npm start` with SLACK_APP_TOKEN + SLACK_BOT_TOKEN) through it end to end.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';

export type EnvelopeType = 'slash_commands' | 'interactive' | 'events_api';

export interface EnvelopeAck {
  envelopeId: string;
  /** What the app answered with (a command's response, a view submission's `response_action`…). */
  payload?: unknown;
}

export interface SocketModeServer {
  /** `POST {prefix}/api/apps.connections.open`; false for every other request (the fake answers those). */
  handle(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
  /** The HTTP server's `upgrade` listener. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Deliver an envelope to the app's newest connection; resolves with its ack (rejects after `ackTimeoutMs`). */
  send(type: EnvelopeType, payload: object): Promise<EnvelopeAck>;
  /** Slack's periodic refresh: `disconnect` (refresh_requested); resolves once the app has connected again. */
  refresh(): Promise<void>;
  /** Connections open now. */
  readonly connections: number;
  /** Resolves once at least one connection has said hello. */
  connected(): Promise<void>;
  close(): Promise<void>;
}

export interface SocketModeOptions {
  /** The app-level token `apps.connections.open` must be called with. */
  appToken: string;
  /** 'http://127.0.0.1:<port>' the WebSocket URLs are built on. */
  baseUrl: () => string;
  pathPrefix?: string;
  appId?: string;
  /** How long an envelope may wait for its ack (Slack retries after ~3 s; default 3000). */
  ackTimeoutMs?: number;
}

export function createSocketModeServer(opts: SocketModeOptions): SocketModeServer {
  const prefix = (opts.pathPrefix ?? '').replace(/\/+$/, '');
  const wss = new WebSocketServer({ noServer: true });
  const tickets = new Set<string>();
  const open: WebSocket[] = [];
  const waiting = new Map<string, (ack: EnvelopeAck) => void>();
  let onHello: Array<() => void> = [];

  wss.on('connection', (ws) => {
    open.push(ws);
    ws.on('message', (data) => {
      const ack = parseAck(String(data));
      if (ack) waiting.get(ack.envelopeId)?.(ack);
    });
    ws.on('close', () => open.splice(open.indexOf(ws), 1));
    ws.send(JSON.stringify(helloMessage(open.length, opts.appId)));
    const hellos = onHello;
    onHello = [];
    for (const resolve of hellos) resolve();
  });

  const connected = () =>
    open.length > 0 ? Promise.resolve() : new Promise<void>((resolve) => onHello.push(resolve));

  return {
    async handle(req, res) {
      const path = (req.url ?? '').split('?')[0];
      if (path !== `${prefix}/api/apps.connections.open`) return false;
      await answerConnectionsOpen(req, res, opts.appToken, newUrl);
      return true;
    },
    upgrade(req, socket, head) {
      const ticket = new URL(req.url ?? '/', 'http://x').searchParams.get('ticket') ?? '';
      if (!tickets.delete(ticket)) {
        socket.end('HTTP/1.1 401 Unauthorized\r\n\r\n');
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
    },
    async send(type, payload) {
      await connected();
      const ws = open.at(-1);
      if (!ws) throw new Error('no Socket Mode connection');
      return sendEnvelope(ws, waiting, type, payload, opts.ackTimeoutMs ?? 3000);
    },
    async refresh() {
      const before = open.slice();
      const again = new Promise<void>((resolve) => onHello.push(resolve));
      for (const ws of before)
        ws.send(
          JSON.stringify({ type: 'disconnect', reason: 'refresh_requested', debug_info: { host: 'local' } }),
        );
      await again;
    },
    get connections() {
      return open.length;
    },
    connected,
    async close() {
      for (const ws of open.slice()) ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };

  function newUrl(): string {
    const ticket = randomUUID();
    tickets.add(ticket);
    const ws = opts.baseUrl().replace(/^http/, 'ws');
    return `${ws}${prefix}/socket-mode/link/?ticket=${ticket}&app_id=${opts.appId ?? 'A_QCSLACK'}`;
  }
}

function helloMessage(connections: number, appId = 'A_QCSLACK') {
  return {
    type: 'hello',
    num_connections: connections,
    debug_info: { host: 'local-slack', approximate_connection_time: 18060 },
    connection_info: { app_id: appId },
  };
}

/** `apps.connections.open`: a WebSocket URL for the app-level token, Slack's error for any other. */
async function answerConnectionsOpen(
  req: IncomingMessage,
  res: ServerResponse,
  appToken: string,
  newUrl: () => string,
): Promise<void> {
  for await (const _ of req) {
    // The body carries nothing Slack reads here; drain it.
  }
  const auth = req.headers.authorization ?? '';
  const body =
    auth === `Bearer ${appToken}`
      ? { ok: true, url: newUrl() }
      : { ok: false, error: auth.startsWith('Bearer xoxb-') ? 'not_allowed_token_type' : 'invalid_auth' };
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

/** One envelope to `ws`; resolves with the app's ack, rejects after `ackTimeoutMs` without one. */
function sendEnvelope(
  ws: WebSocket,
  waiting: Map<string, (ack: EnvelopeAck) => void>,
  type: EnvelopeType,
  payload: object,
  ackTimeoutMs: number,
): Promise<EnvelopeAck> {
  const envelopeId = randomUUID();
  const acked = new Promise<EnvelopeAck>((resolve, reject) => {
    const timer = setTimeout(() => {
      waiting.delete(envelopeId);
      reject(new Error(`Socket Mode: no ack for the ${type} envelope within ${ackTimeoutMs} ms`));
    }, ackTimeoutMs);
    waiting.set(envelopeId, (ack) => {
      clearTimeout(timer);
      waiting.delete(envelopeId);
      resolve(ack);
    });
  });
  ws.send(
    JSON.stringify({
      envelope_id: envelopeId,
      type,
      payload,
      accepts_response_payload: type !== 'events_api',
      retry_attempt: 0,
      retry_reason: '',
    }),
  );
  return acked;
}

function parseAck(text: string): EnvelopeAck | undefined {
  try {
    const json = JSON.parse(text) as { envelope_id?: unknown; payload?: unknown };
    if (typeof json.envelope_id !== 'string') return undefined;
    return { envelopeId: json.envelope_id, ...(json.payload !== undefined ? { payload: json.payload } : {}) };
  } catch {
    return undefined;
  }
}
