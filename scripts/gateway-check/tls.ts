/**
 * The first thing gateway-check looks at: can we reach the address at all, and does its certificate
 * check out against the CA we were given — and if not, why, in words an engineer can act on.
 */
import { isIP, Socket } from 'node:net';
import { checkServerIdentity, connect, type PeerCertificate } from 'node:tls';

export interface ReachResult {
  /** Reached the port (and, for https, finished a TLS handshake). */
  reachable: boolean;
  /** https only: the certificate is trusted and names this host. */
  trusted?: boolean;
  /** What went wrong, in words, with the fix. */
  problem?: string;
  /** Short machine-readable reason (e.g. ECONNREFUSED, DEPTH_ZERO_SELF_SIGNED_CERT, HOSTNAME). */
  code?: string;
  /** https only: who the certificate names and until when it is valid. */
  certificate?: { subject: string; names: string[]; validTo: string };
}

const UNTRUSTED = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_GET_ISSUER_CERT',
  'CERT_UNTRUSTED',
]);

export async function checkReach(url: URL, caPem: string | Buffer | undefined, timeoutMs: number) {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  if (url.protocol === 'http:') return tcpReach(host, port, timeoutMs);
  return tlsReach(host, port, caPem, timeoutMs);
}

function tcpReach(host: string, port: number, timeoutMs: number): Promise<ReachResult> {
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (r: ReachResult) => {
      socket.destroy();
      resolve(r);
    };
    socket.setTimeout(timeoutMs, () => done(timeoutResult(host, port, timeoutMs)));
    socket.once('error', (err) => done(networkResult(err as NodeJS.ErrnoException, host, port)));
    socket.connect(port, host, () => done({ reachable: true }));
  });
}

function tlsReach(
  host: string,
  port: number,
  caPem: string | Buffer | undefined,
  timeoutMs: number,
): Promise<ReachResult> {
  return new Promise((resolve) => {
    const socket = connect({
      host,
      port,
      ...(isIP(host) ? {} : { servername: host }),
      ...(caPem !== undefined ? { ca: caPem } : {}),
      rejectUnauthorized: false,
    });
    const done = (r: ReachResult) => {
      socket.destroy();
      resolve(r);
    };
    socket.setTimeout(timeoutMs, () => done(timeoutResult(host, port, timeoutMs)));
    socket.once('error', (err) => done(networkResult(err as NodeJS.ErrnoException, host, port)));
    socket.once('secureConnect', () => {
      const cert = socket.getPeerCertificate();
      const certificate = describe(cert);
      const authError = socket.authorizationError as unknown as string | Error | null;
      const code = authError ? String((authError as { code?: string }).code ?? authError) : undefined;
      if (code === 'ERR_TLS_CERT_ALTNAME_INVALID' || (!code && checkServerIdentity(host, cert))) {
        return done({
          reachable: true,
          trusted: false,
          code: 'HOSTNAME',
          certificate,
          problem: `the certificate does not name ${host} (it names ${certificate.names.join(', ') || certificate.subject}). Use a URL with one of those names, or have the gateway's certificate reissued with ${host} in its subject alternative names.`,
        });
      }
      if (code)
        return done({
          reachable: true,
          trusted: false,
          code,
          certificate,
          problem: certProblem(code, certificate),
        });
      done({ reachable: true, trusted: true, certificate });
    });
  });
}

function describe(cert: PeerCertificate): { subject: string; names: string[]; validTo: string } {
  const names = (cert.subjectaltname ?? '')
    .split(',')
    .map((s) => s.trim().replace(/^(DNS|IP Address):/, ''))
    .filter(Boolean);
  const cn = cert.subject?.CN;
  return { subject: Array.isArray(cn) ? cn.join(', ') : (cn ?? ''), names, validTo: cert.valid_to ?? '' };
}

function certProblem(code: string, cert: { validTo: string }): string {
  if (UNTRUSTED.has(code)) {
    return `the gateway's certificate is not signed by a CA we trust (${code}). Pass the PEM of the CA that signed it with --ca-file (in qc-slack: CCGW_CA_FILE or CCGW_CA_PEM). Ask the gateway's O&M team for it; --insecure skips the check for a first look only.`;
  }
  if (code === 'CERT_HAS_EXPIRED') {
    return `the gateway's certificate expired (valid to ${cert.validTo}). Have it renewed; qc-slack refuses expired certificates.`;
  }
  if (code === 'CERT_NOT_YET_VALID') {
    return `the gateway's certificate is not valid yet: check the clocks of the gateway and of this machine.`;
  }
  return `the certificate was refused (${code}).`;
}

function networkResult(err: NodeJS.ErrnoException, host: string, port: number): ReachResult {
  const code = err.code ?? err.name;
  const where = `${host}:${port}`;
  const words: Record<string, string> = {
    ECONNREFUSED: `nothing listens on ${where} (connection refused). Check the port (8043 for HTTPS by default) and that the gateway is running.`,
    ENOTFOUND: `the host name ${host} does not resolve. Check the URL or use the gateway's IP address.`,
    EHOSTUNREACH: `${where} is unreachable from here (no route). Check the network path (VPC, VPN, security groups).`,
    ECONNRESET: `${where} closed the connection during the handshake: is it HTTPS? Try http:// if the gateway serves plain HTTP (port 8000 by default).`,
    EPROTO: `${where} does not speak TLS as expected: is it plain HTTP? Try http:// (port 8000 by default).`,
  };
  return { reachable: false, code, problem: words[code] ?? `could not reach ${where}: ${code}.` };
}

function timeoutResult(host: string, port: number, timeoutMs: number): ReachResult {
  return {
    reachable: false,
    code: 'TIMEOUT',
    problem: `no answer from ${host}:${port} within ${timeoutMs} ms: a firewall may drop the traffic. Check the network path.`,
  };
}
