/**
 * Server-sent events to the open console pages: `event: slack` for every change of the fake Slack's
 * store (message, update, delete, view, home, file, reset) and `event: sim` for simulator snapshots.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

const HEARTBEAT_MS = 15_000;

export class SseHub {
  private readonly clients = new Set<ServerResponse>();
  private heartbeat: NodeJS.Timeout | undefined;

  constructor(private readonly onFirstClient?: () => void) {}

  get size(): number {
    return this.clients.size;
  }

  /** Answers the request with an event stream and keeps it until the page goes away or close(). */
  open(req: IncomingMessage, res: ServerResponse, first: { event: string; data: unknown }[] = []): void {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.write('retry: 1000\n: connected\n\n');
    for (const e of first) res.write(frame(e.event, e.data));
    this.clients.add(res);
    if (this.clients.size === 1) this.onFirstClient?.();
    this.heartbeat ??= setInterval(() => this.comment('ping'), HEARTBEAT_MS).unref();
    const drop = () => {
      this.clients.delete(res);
      if (this.clients.size === 0 && this.heartbeat) {
        clearInterval(this.heartbeat);
        this.heartbeat = undefined;
      }
    };
    req.on('close', drop);
    res.on('close', drop);
  }

  send(event: string, data: unknown): void {
    if (this.clients.size === 0) return;
    const text = frame(event, data);
    for (const res of this.clients) res.write(text);
  }

  private comment(text: string): void {
    for (const res of this.clients) res.write(`: ${text}\n\n`);
  }

  /** Ends every stream (the stack is stopping). */
  close(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = undefined;
    for (const res of this.clients) res.end();
    this.clients.clear();
  }
}

/** One SSE frame; JSON has no raw newlines, so one data line. */
export function frame(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}
