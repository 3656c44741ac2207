import type { IncomingMessage, ServerResponse } from 'node:http';
import { MAX_UPLOAD_BYTES } from './files';
import { multipartBoundary, parseMultipart } from './multipart';
import { type FakeState, takeFault } from './state';

/**
 * `POST {prefix}/upload/<token>`: the upload_url handed out by files.getUploadURLExternal. Like Slack's,
 * it needs no token (the URL is the credential) and takes the bytes raw or as multipart/form-data (the
 * first part with a filename, else the first part; WebClient sends one part named `body`). It answers
 * HTTP 200 `OK - <bytes>`; errors are plain-text HTTP errors (WebClient treats any non-200 as a failure).
 * Fault injection: `failNext('file_upload', …)`.
 */

/** Multipart headers and boundaries on top of the file itself. */
const FORM_OVERHEAD = 64 * 1024;

class TooLarge extends Error {}

async function readBytes(req: IncomingMessage, max: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += buf.length;
    if (size > max) throw new TooLarge();
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

function send(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}) {
  res.writeHead(status, {
    'content-type': 'text/plain; charset=utf-8',
    'content-length': String(Buffer.byteLength(body)),
    ...headers,
  });
  res.end(body);
}

/** The file's bytes from the request body, or the reason there are none. */
function fileBytes(body: Buffer, contentType: string | undefined): Buffer | { problem: string } {
  const boundary = multipartBoundary(contentType);
  if (!boundary) {
    if (contentType && /^\s*multipart\//i.test(contentType)) return { problem: 'invalid_multipart' };
    return body;
  }
  const parts = parseMultipart(body, boundary);
  if (!parts) return { problem: 'invalid_multipart' };
  const part = parts.find((p) => p.filename !== undefined) ?? parts[0];
  return part ? part.data : { problem: 'no_file_data' };
}

export async function handleUpload(
  state: FakeState,
  token: string,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const at = state.store.clock();
  const fileId = state.uploadTokens.get(token);
  const upload = fileId ? state.uploads.get(fileId) : undefined;
  const multipart = /^\s*multipart\//i.test(req.headers['content-type'] ?? '');
  const answer = (status: number, body: string, extra: { bytes?: number; error?: string } = {}) => {
    state.store.addCall({
      method: 'file_upload',
      args: {
        file_id: fileId ?? null,
        filename: upload?.filename ?? null,
        bytes: extra.bytes ?? null,
        encoding: multipart ? 'multipart' : 'raw',
      },
      at,
      ok: status === 200,
      status,
      ...(status === 200 ? {} : { error: extra.error ?? body }),
    });
    send(res, status, body, status === 405 ? { allow: 'POST' } : {});
  };

  if (req.method !== 'POST') return answer(405, 'method_not_allowed');
  const fault = takeFault(state, 'file_upload');
  if (fault) {
    if ('status' in fault) {
      state.store.addCall({
        method: 'file_upload',
        args: {},
        at,
        ok: false,
        status: 429,
        error: 'ratelimited',
      });
      return send(res, 429, 'ratelimited', { 'retry-after': String(fault.retryAfter) });
    }
    return answer(500, fault.error);
  }
  if (!upload || upload.completedAt !== undefined) return answer(404, 'not_found');

  let body: Buffer;
  try {
    body = await readBytes(req, MAX_UPLOAD_BYTES + FORM_OVERHEAD);
  } catch (err) {
    if (err instanceof TooLarge) return answer(413, 'request_too_large');
    throw err;
  }
  const bytes = fileBytes(body, req.headers['content-type']);
  if (!Buffer.isBuffer(bytes)) return answer(400, bytes.problem);
  if (bytes.length !== upload.length) {
    return answer(400, `length_mismatch: announced ${upload.length} bytes, got ${bytes.length}`, {
      bytes: bytes.length,
      error: 'length_mismatch',
    });
  }
  upload.bytes = bytes;
  return answer(200, `OK - ${bytes.length}`, { bytes: bytes.length });
}
