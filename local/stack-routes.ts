import type { IncomingMessage, ServerResponse } from 'node:http';
import { type AlertDeps, receiveAlert } from '../src/alerts/receive';
import { receivePush } from '../src/qc/push-events';
import { bodyOf, headersOf, jsonResult } from '../src/runtime/http-event';
import type { WorkerDeps } from '../src/runtime/worker-deps';
import type { createSlackApp } from '../src/slack/app';
import type { ConsoleBridge } from './console/index';
import { refuseForeignCaller } from './host-guard';
import { readBody, sendLambdaResult, toApiGatewayEvent } from './http-event';
import type { FakeSlack } from './slack-api/index';

/** What GET /healthz answers: the CLI checks it talks to a qc-slack stack, and how busy it is. */
export interface LocalHealth {
  service: 'qc-slack-local';
  mode: 'local' | 'socket';
  /** Jobs queued or running in the worker. */
  pendingJobs: number;
}

type SlackHandler = ReturnType<typeof createSlackApp>['handler'];

/** What the HTTP routes reach; the Slack and alert routes are absent in Socket Mode. */
export interface Routes {
  url: string;
  slack: FakeSlack;
  deps: WorkerDeps;
  health(): LocalHealth;
  consoleBridge?: ConsoleBridge;
  slackHandler?: SlackHandler;
  alertDeps?: AlertDeps;
}

/** API Gateway's routes plus the local ones, every one behind the host guard. */
export async function route(r: Routes, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (refuseForeignCaller(req, res)) return;
  if (await r.slack.handle(req, res)) return;
  if (r.consoleBridge && (await r.consoleBridge.handle(req, res))) return;
  const path = new URL(req.url ?? '/', r.url).pathname;
  if (req.method === 'POST' && (await lambdaRoute(r, path, req, res))) return;
  if (req.method === 'GET' && path === '/healthz') {
    sendLambdaResult(res, jsonResult(200, r.health()));
    return;
  }
  if (req.method === 'GET' && path === '/') {
    home(r, res);
    return;
  }
  res.writeHead(404, { 'content-type': 'text/plain' });
  res.end('not found\n');
}

/** The routes API Gateway has on AWS, each to its function's handler; false for another path. */
async function lambdaRoute(
  r: Routes,
  path: string,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<boolean> {
  if (path === '/slack/events' && r.slackHandler) {
    const body = await readBody(req);
    sendLambdaResult(res, await r.slackHandler(toApiGatewayEvent(req, body) as never, {} as never));
    return true;
  }
  // The JSON endpoints get the event Lambda would get, decoded as their handlers decode it.
  if (path === '/alerts' && r.alertDeps) {
    const event = toApiGatewayEvent(req, await readBody(req));
    const result = await receiveAlert(r.alertDeps, {
      method: 'POST',
      headers: headersOf(event),
      body: bodyOf(event),
    });
    sendLambdaResult(res, jsonResult(result.status, result.body));
    return true;
  }
  if (path === '/gateway/events') {
    const event = toApiGatewayEvent(req, await readBody(req));
    const result = await receivePush(r.deps, { headers: headersOf(event), body: bodyOf(event) });
    sendLambdaResult(res, jsonResult(result.status, result.body));
    return true;
  }
  return false;
}

/** GET /: the console when it runs, else one line saying what this server answers. */
function home(r: Routes, res: ServerResponse): void {
  if (r.consoleBridge) {
    res.writeHead(302, { location: '/console/' });
    res.end();
    return;
  }
  const routes = r.slackHandler
    ? 'POST /slack/events, POST /alerts, POST /gateway/events'
    : 'Socket Mode (Slack over its WebSocket), POST /gateway/events';
  res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(`qc-slack local stack: ${routes}; Slack Web API at /api/\n`);
}
