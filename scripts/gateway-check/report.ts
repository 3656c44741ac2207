/** gateway-check's report: the words an engineer reads, and the one JSON object `--json` prints. */
import { type CheckOptions, type CheckResult, type InterfaceStatus, REQUIRED } from './probe';

/** What qc-slack does when an interface is not there (or refused), by interface name. */
const WITHOUT: Record<string, string> = {
  signIn: 'nothing works: inspectors cannot sign in',
  poll: 'nothing works in poll mode: sessions die after 2 minutes without a poll',
  updateGuid:
    'nothing: qc-slack takes each new Guid from Set-GUID on polls (probed only to learn the auth mode)',
  handshake: 'push mode (GATEWAY_CALLBACK_URL) is unavailable: keep the default poll mode',
  listen: '/qc listen and the alert Listen button are unavailable; intercept needs monitoring first',
  insert: '/qc insert is unavailable',
  whisper: '/qc whisper is unavailable',
  stopWhisper: 'stopping a whisper is unavailable (/qc stop still ends monitoring)',
  stop: '/qc stop is unavailable: inspectors must hang up their phone',
  switch: 'switching listen ⇄ insert is unavailable',
  switchMode: 'switching to or from whisper is unavailable',
  intercept: '/intercept is unavailable: qc-slack cannot take calls over',
  interceptByCall: 'nothing: qc-slack intercepts by agent ID (the plain route)',
  releaseCall: '/qc release-call is unavailable',
  forceBusy: '/qc force-busy is unavailable',
  forceIdle: '/qc force-idle is unavailable',
  forceSignOut: '/qc force-signout is unavailable',
  signOut: 'sessions end only when the gateway times them out (2 minutes without a poll)',
};

const MARK: Record<InterfaceStatus, string> = {
  ok: 'ok',
  missing: 'MISSING',
  refused: 'REFUSED',
  error: 'ERROR',
  skipped: 'skipped',
};

/** The qc-slack settings this gateway needs (README "Configuration"). */
export function settingsFor(o: CheckOptions, r: CheckResult): Record<string, string> {
  const s: Record<string, string> = { CCGW_BASE_URL: o.url.replace(/\/+$/, '') };
  if (o.caFile) s.CCGW_CA_FILE = o.caFile;
  if (o.insecure && r.reach.trusted === false) s.CCGW_INSECURE_SKIP_VERIFY = 'true';
  if (r.cookies.length > 0) s.CCGW_STICKY_COOKIES = 'true';
  if (Number(o.agent) > 59_999) s.CCGW_MAX_AGENT_ID = '999999';
  return s;
}

export function jsonReport(o: CheckOptions, r: CheckResult): object {
  return {
    ok: r.ok,
    url: r.url,
    authMode: r.authMode,
    tls: {
      reachable: r.reach.reachable,
      ...(r.reach.trusted !== undefined ? { trusted: r.reach.trusted } : {}),
      ...(r.reach.code ? { code: r.reach.code } : {}),
      ...(r.reach.certificate ? { certificate: r.reach.certificate } : {}),
    },
    ...(r.signIn ? { signIn: r.signIn } : {}),
    cookies: r.cookies,
    pollHeld: r.pollHeld,
    ...(r.emptyPollMs !== undefined ? { emptyPollMs: r.emptyPollMs } : {}),
    interfaces: Object.fromEntries(Object.entries(r.interfaces).map(([k, v]) => [k, v.status])),
    details: r.interfaces,
    settings: settingsFor(o, r),
    problems: r.problems,
  };
}

export function textReport(o: CheckOptions, r: CheckResult): string {
  const lines: string[] = [];
  lines.push(`CC-Gateway check: ${r.url} as inspector ${o.agent}`, '');
  lines.push(...reachLines(r), ...behaviourLines(r));
  const names = Object.keys(r.interfaces);
  if (names.length > 0) {
    lines.push('', 'Interfaces:');
    const width = Math.max(...names.map((n) => n.length));
    for (const name of names) {
      const i = r.interfaces[name];
      if (!i) continue;
      const code = i.retcode ? ` ${i.retcode}` : i.http ? ` HTTP ${i.http}` : '';
      const consequence = i.status === 'ok' ? '' : ` → ${WITHOUT[name] ?? 'that feature is unavailable'}`;
      lines.push(`  ${name.padEnd(width)}  ${MARK[i.status].padEnd(7)}${code}${consequence}`);
    }
  }
  if (r.problems.length > 0) lines.push('', 'Problems:', ...r.problems.map((p) => `  - ${p}`));
  lines.push('', 'Settings for qc-slack:');
  for (const [k, v] of Object.entries(settingsFor(o, r))) lines.push(`  ${k}=${v}`);
  lines.push(
    '',
    r.ok
      ? 'Result: qc-slack can work against this gateway.'
      : `Result: qc-slack cannot work against this gateway yet (needs ${REQUIRED.join(', ')}).`,
  );
  return lines.join('\n');
}

function reachLines(r: CheckResult): string[] {
  if (!r.reach.reachable) return [`Reach:    FAILED — ${r.reach.problem ?? ''}`];
  if (r.reach.trusted === undefined)
    return ['Reach:    ok (plain HTTP: Guids cross the network in clear text)'];
  if (!r.reach.trusted) return [`TLS:      NOT TRUSTED — ${r.reach.problem ?? ''}`];
  const c = r.reach.certificate;
  return [
    `TLS:      ok${c ? ` (certificate for ${c.names.join(', ') || c.subject}, valid to ${c.validTo})` : ''}`,
  ];
}

function behaviourLines(r: CheckResult): string[] {
  if (r.interfaces.signIn?.status !== 'ok') return [];
  const auth = {
    dynamic: 'dynamic (the Guid rotates; qc-slack stores each new one at once)',
    static: 'static (the Guid does not rotate)',
    unknown: 'unknown (no updateGuid route; qc-slack handles both)',
  }[r.authMode];
  const poll =
    r.pollHeld === null
      ? 'not seen (no empty poll within 6 polls)'
      : r.pollHeld
        ? `held (empty poll answered after ${r.emptyPollMs} ms)`
        : `NOT held (empty poll answered after ${r.emptyPollMs} ms; qc-slack pauses between fast empty polls)`;
  const cookies =
    r.cookies.length > 0
      ? `set by a load balancer: ${r.cookies.join(', ')} (qc-slack sends them back: CCGW_STICKY_COOKIES=true)`
      : 'none set';
  return [`Auth:     ${auth}`, `Polls:    ${poll}`, `Cookies:  ${cookies}`];
}
