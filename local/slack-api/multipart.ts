/**
 * A small multipart/form-data reader (RFC 7578) for the fake's file-upload URL: WebClient's
 * files.uploadV2 posts the bytes as a form with one file part. Whole body in memory; no streaming.
 */

export interface FormPart {
  name?: string;
  filename?: string;
  contentType?: string;
  data: Buffer;
}

/** The boundary of a `multipart/form-data; boundary=…` content type, or undefined for any other type. */
export function multipartBoundary(contentType: string | undefined): string | undefined {
  if (!contentType || !/^\s*multipart\/form-data\s*(;|$)/i.test(contentType)) return undefined;
  const m = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  const boundary = m?.[1] ?? m?.[2];
  return boundary && boundary.length <= 70 ? boundary : undefined;
}

function headerParam(value: string, param: string): string | undefined {
  const m = new RegExp(`;\\s*${param}="((?:[^"\\\\]|\\\\.)*)"|;\\s*${param}=([^;\\s]+)`, 'i').exec(value);
  const raw = m?.[1] ?? m?.[2];
  return raw?.replace(/\\(.)/g, '$1');
}

function parsePart(raw: Buffer): FormPart | undefined {
  const split = raw.indexOf('\r\n\r\n');
  if (split < 0) return undefined;
  const part: FormPart = { data: raw.subarray(split + 4) };
  for (const line of raw.subarray(0, split).toString('utf8').split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (name === 'content-type') part.contentType = value;
    if (name === 'content-disposition') {
      const field = headerParam(value, 'name');
      const filename = headerParam(value, 'filename');
      if (field !== undefined) part.name = field;
      if (filename !== undefined) part.filename = filename;
    }
  }
  return part;
}

/** The parts of a multipart body, or undefined when it is not well formed. */
export function parseMultipart(body: Buffer, boundary: string): FormPart[] | undefined {
  const delimiter = Buffer.from(`--${boundary}`);
  let at = body.indexOf(delimiter);
  if (at !== 0 && at >= 0 && body.subarray(at - 2, at).toString('latin1') !== '\r\n') at = -1;
  if (at < 0) return undefined;
  const parts: FormPart[] = [];
  for (;;) {
    const after = at + delimiter.length;
    if (body.subarray(after, after + 2).toString('latin1') === '--') return parts;
    if (body.subarray(after, after + 2).toString('latin1') !== '\r\n') return undefined;
    const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delimiter]), after + 2);
    if (next < 0) return undefined;
    const part = parsePart(body.subarray(after + 2, next));
    if (!part) return undefined;
    parts.push(part);
    at = next + 2;
  }
}
