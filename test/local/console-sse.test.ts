import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../local/stack';
import { bridge, startConsoleStack } from './console-helpers';

let stack: LocalStack;
beforeAll(async () => {
  stack = await startConsoleStack();
});
afterAll(async () => {
  await stack?.close();
});

interface Frame {
  event: string;
  data: Record<string, unknown>;
  at: number;
}

/** An open GET /console/api/events, parsed into frames as they arrive. */
async function openEvents() {
  const abort = new AbortController();
  const res = await fetch(`${stack.url}/console/api/events`, { signal: abort.signal });
  const frames: Frame[] = [];
  const waiters = new Set<() => void>();
  const reader = res.body?.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const pump = (async () => {
    for (;;) {
      const chunk = await reader?.read().catch(() => undefined);
      if (!chunk || chunk.done) return;
      buffer += decoder.decode(chunk.value, { stream: true });
      let end = buffer.indexOf('\n\n');
      while (end >= 0) {
        const raw = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event = /^event: (.+)$/m.exec(raw)?.[1];
        const data = /^data: (.+)$/m.exec(raw)?.[1];
        if (event && data)
          frames.push({ event, data: JSON.parse(data) as Record<string, unknown>, at: Date.now() });
        for (const w of waiters) w();
        end = buffer.indexOf('\n\n');
      }
    }
  })();
  /** The first frame (at index `from` or later) that matches. */
  const next = (match: (f: Frame) => boolean, from = 0, timeoutMs = 3000) =>
    new Promise<Frame>((resolve, reject) => {
      const check = () => {
        const found = frames.slice(from).find(match);
        if (!found) return;
        waiters.delete(check);
        clearTimeout(timer);
        resolve(found);
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(
          new Error(`no matching SSE frame in ${timeoutMs} ms; got ${frames.map((f) => f.event).join(', ')}`),
        );
      }, timeoutMs);
      waiters.add(check);
      check();
    });
  return {
    res,
    frames,
    next,
    close: async () => {
      abort.abort();
      await pump;
    },
  };
}

describe('GET /console/api/events', () => {
  it('is an event stream that starts with the simulator snapshot', async () => {
    const events = await openEvents();
    try {
      expect(events.res.status).toBe(200);
      expect(events.res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
      const first = await events.next((f) => f.event === 'sim');
      expect(first.data.agents).toEqual(expect.arrayContaining([expect.objectContaining({ id: '2005' })]));
    } finally {
      await events.close();
    }
  });

  it('delivers the message a command produces (event: slack, type: message)', async () => {
    const events = await openEvents();
    try {
      const res = await bridge(stack, 'command', { user: 'U_DEMO', channel: 'C_QC', text: '/qc help' });
      const frame = await events.next(
        (f) =>
          f.event === 'slack' &&
          f.data.type === 'message' &&
          (f.data.message as { ts?: string }).ts === res.json.ts,
      );
      expect(frame.data.message).toMatchObject({ channel: 'C_QC', ephemeralTo: 'U_DEMO', edits: 0 });
      expect(frame.data.message).not.toHaveProperty('history');
    } finally {
      await events.close();
    }
  });

  it('sends a snapshot when the simulator changes, at most about 4 per second', async () => {
    const events = await openEvents();
    try {
      await events.next((f) => f.event === 'sim');
      const since = events.frames.length;
      await bridge(stack, 'sim/call', { agentId: '2002', action: 'start' });
      const changed = await events.next(
        (f) => f.event === 'sim' && (f.data.calls as { agentId: string }[]).some((c) => c.agentId === '2002'),
        since,
      );
      expect(changed).toBeDefined();
      const started = Date.now();
      for (let i = 0; i < 10; i++) {
        await bridge(stack, 'sim/call', { agentId: '2002', action: i % 2 === 0 ? 'end' : 'start' });
        await new Promise((r) => setTimeout(r, 40));
      }
      await new Promise((r) => setTimeout(r, 300));
      const burst = events.frames.filter((f) => f.event === 'sim' && f.at >= started);
      const seconds = (Date.now() - started) / 1000;
      expect(burst.length).toBeGreaterThan(0);
      expect(burst.length).toBeLessThanOrEqual(Math.ceil(seconds * 4) + 1);
      await bridge(stack, 'sim/call', { agentId: '2002', action: 'end' });
    } finally {
      await events.close();
    }
  });
});
