import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for SSM Parameter Store's `GetParameters` (AWS JSON 1.1, `AmazonSSM.GetParameters`)
 * on 127.0.0.1, for tests and the cold-start bench. It refuses a request without a SigV4
 * `Authorization` header for the `ssm` service, as SSM would, and records every call (names only).
 */
export interface FakeSsmParameter {
  value: string;
  type?: 'SecureString' | 'String';
}

export interface FakeSsmCall {
  names: string[];
  withDecryption: boolean;
  signed: boolean;
}

export interface FakeSsm {
  /** The endpoint, for AWS_ENDPOINT_URL_SSM. */
  readonly url: string;
  readonly calls: FakeSsmCall[];
  /** Answer every request with this error (e.g. AccessDeniedException) until set back to undefined. */
  failWith: { type: string; message: string } | undefined;
  close(): Promise<void>;
}

const SIGV4 = /^AWS4-HMAC-SHA256 Credential=[^/]+\/\d{8}\/[a-z0-9-]+\/ssm\/aws4_request, /;

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function answer(params: Record<string, FakeSsmParameter>, names: string[], withDecryption: boolean) {
  const found = names.filter((name) => params[name]);
  return {
    Parameters: found.map((name) => {
      const p = params[name] as FakeSsmParameter;
      const type = p.type ?? 'SecureString';
      const value = type === 'SecureString' && !withDecryption ? 'AQICAH-ciphertext' : p.value;
      return { Name: name, Type: type, Value: value, Version: 1, DataType: 'text' };
    }),
    InvalidParameters: names.filter((name) => !params[name]),
  };
}

export async function startFakeSsm(params: Record<string, FakeSsmParameter>): Promise<FakeSsm> {
  const calls: FakeSsmCall[] = [];
  const state: { failWith: FakeSsm['failWith'] } = { failWith: undefined };
  const server = createServer((req, res) => {
    void readBody(req).then((text) => {
      const signed = SIGV4.test(req.headers.authorization ?? '');
      if (!signed)
        return send(res, 400, { __type: 'MissingAuthenticationTokenException', message: 'not signed' });
      if (req.headers['x-amz-target'] !== 'AmazonSSM.GetParameters')
        return send(res, 400, { __type: 'UnknownOperationException' });
      let body: { Names?: unknown; WithDecryption?: unknown };
      try {
        body = JSON.parse(text) as typeof body;
      } catch {
        return send(res, 400, { __type: 'SerializationException' });
      }
      const names = Array.isArray(body.Names) ? body.Names.map(String) : [];
      const withDecryption = body.WithDecryption === true;
      calls.push({ names, withDecryption, signed });
      if (state.failWith)
        return send(res, 400, { __type: state.failWith.type, message: state.failWith.message });
      if (names.length === 0 || names.length > 10)
        return send(res, 400, { __type: 'ValidationException', message: 'Names: 1 to 10' });
      send(res, 200, answer(params, names, withDecryption));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    get failWith() {
      return state.failWith;
    },
    set failWith(v) {
      state.failWith = v;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
