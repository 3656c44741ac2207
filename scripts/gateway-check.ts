/**
 * `npm run gateway-check -- --url <base-url> --agent <inspector-id> --phone <phone> [--ca-file F]
 * [--insecure] [--json]` — the first thing to run on the day a real CC-Gateway is connected.
 * The password comes from CCGW_CHECK_PASSWORD or a hidden prompt, never from an argument, and is never
 * printed. Exit 0 when qc-slack can work against the gateway, 1 when it cannot, 2 for bad arguments.
 */
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { type CheckOptions, runCheck } from './gateway-check/probe';
import { jsonReport, textReport } from './gateway-check/report';

export const USAGE = `Usage: npm run gateway-check -- --url <base-url> --agent <inspector-id> --phone <phone> [options]

Checks that qc-slack can work against a CC-Gateway: TLS, sign-in, the auth mode (does the Guid rotate?),
load-balancer cookies, held polls, and every interface qc-slack uses — each QC interface is called on the
inspector itself, which touches no agent — then signs out and prints what qc-slack will do and the CCGW_*
settings to use. The inspector must not be signed in elsewhere (the check never forces a sign-in).

The password is read from CCGW_CHECK_PASSWORD, or asked for (hidden) on a terminal.

Options:
  --url <url>         the gateway's base URL, e.g. https://10.0.0.5:8043 (qc-slack adds /agentgateway/resource)
  --agent <id>        an inspector ID to sign in with (digits)
  --phone <number>    the inspector's phone number for the sign-in
  --ca-file <file>    PEM of the CA that signed the gateway's certificate (as CCGW_CA_FILE)
  --insecure          go on when the certificate is not trusted (a first look only; never in production)
  --timeout <ms>      answer timeout per request (default 10000)
  --json              print one JSON object (ok, authMode, interfaces, …) instead of the report
  -h, --help          this help

Exit codes: 0 qc-slack can work against this gateway, 1 it cannot, 2 bad arguments.
`;

export class UsageError extends Error {
  override name = 'UsageError';
}

export interface CliArgs {
  url: string;
  agent: string;
  phone: string;
  caFile?: string;
  insecure: boolean;
  json: boolean;
  timeoutMs: number;
  help: boolean;
}

export function parseCliArgs(argv: string[]): CliArgs {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      options: {
        url: { type: 'string' },
        agent: { type: 'string' },
        phone: { type: 'string' },
        'ca-file': { type: 'string' },
        insecure: { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        timeout: { type: 'string' },
        password: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (values.help)
    return { url: '', agent: '', phone: '', insecure: false, json: false, timeoutMs: 0, help: true };
  if (values.password !== undefined) {
    throw new UsageError(
      '--password is not accepted (it would stay in your shell history): set CCGW_CHECK_PASSWORD or answer the prompt',
    );
  }
  const url = String(values.url ?? '').trim();
  const agent = String(values.agent ?? '').trim();
  const phone = String(values.phone ?? '').trim();
  if (!url) throw new UsageError('--url is required (e.g. https://10.0.0.5:8043)');
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(`--url is not a URL (got "${url}")`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new UsageError(`--url must start with https:// or http:// (got "${parsed.protocol}")`);
  }
  if (!/^\d{1,6}$/.test(agent)) throw new UsageError('--agent is required: the inspector ID, digits only');
  if (!/^\+?\d{1,24}$/.test(phone)) throw new UsageError('--phone is required: digits only, up to 24');
  const timeoutMs = values.timeout === undefined ? 10_000 : Number(values.timeout);
  if (!Number.isInteger(timeoutMs) || timeoutMs < 500 || timeoutMs > 120_000) {
    throw new UsageError('--timeout must be a whole number of milliseconds from 500 to 120000');
  }
  const caFile = typeof values['ca-file'] === 'string' ? values['ca-file'] : undefined;
  return {
    url,
    agent,
    phone,
    ...(caFile ? { caFile } : {}),
    insecure: values.insecure === true,
    json: values.json === true,
    timeoutMs,
    help: false,
  };
}

/** The password, from CCGW_CHECK_PASSWORD or a prompt that echoes nothing. */
export async function readPassword(env: NodeJS.ProcessEnv, input = process.stdin, out = process.stderr) {
  const fromEnv = env.CCGW_CHECK_PASSWORD;
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  if (!input.isTTY) {
    throw new UsageError('no password: set CCGW_CHECK_PASSWORD (there is no terminal to ask on)');
  }
  out.write(`Password for the inspector (not shown): `);
  let muted = false;
  const silent = new Writable({
    write(chunk, _enc, cb) {
      if (!muted) out.write(chunk);
      cb();
    },
  });
  const rl = createInterface({ input, output: silent, terminal: true });
  muted = true;
  const answer = await new Promise<string>((resolve) => rl.question('', resolve));
  rl.close();
  out.write('\n');
  return answer;
}

export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let args: CliArgs;
  let caPem: Buffer | undefined;
  let password: string;
  try {
    args = parseCliArgs(argv);
    if (args.help) {
      process.stdout.write(USAGE);
      return 0;
    }
    if (args.caFile) {
      try {
        caPem = readFileSync(args.caFile);
      } catch (err) {
        throw new UsageError(
          `--ca-file ${args.caFile} cannot be read (${(err as NodeJS.ErrnoException).code})`,
        );
      }
    }
    password = await readPassword(env);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`gateway-check: ${err.message}\n\n${USAGE}`);
    return 2;
  }
  const options: CheckOptions = {
    url: args.url,
    agent: args.agent,
    phone: args.phone,
    password,
    ...(caPem ? { caPem } : {}),
    ...(args.caFile ? { caFile: args.caFile } : {}),
    insecure: args.insecure,
    timeoutMs: args.timeoutMs,
    ...(args.json ? {} : { progress: (line: string) => process.stderr.write(`${line}\n`) }),
  };
  const result = await runCheck(options);
  process.stdout.write(
    args.json ? `${JSON.stringify(jsonReport(options, result))}\n` : `${textReport(options, result)}\n`,
  );
  return result.ok ? 0 : 1;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(
        `gateway-check: unexpected error: ${(err as Error).name}: ${(err as Error).message}\n`,
      );
      process.exitCode = 1;
    },
  );
}
