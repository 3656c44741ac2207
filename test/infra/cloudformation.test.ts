/**
 * serverless.yml, packaged offline: `npm run build` then `osls package --stage ci` with dummy AWS
 * credentials (into a temporary folder rather than .serverless/), then checks on the CloudFormation
 * template (cloudformation-template-update-stack.json) and the per-function zips. A second package
 * (stage prod, 3 keeper shards, a VPC) goes to a temporary folder to check the parameters.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import yauzl from 'yauzl';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '..', '..');
const FUNCTIONS = ['slack', 'worker', 'keeper', 'gateway-events', 'alerts'] as const;
type Fn = (typeof FUNCTIONS)[number];

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
interface Resource {
  Type: string;
  Properties?: Record<string, Json>;
  DependsOn?: string | string[];
  DeletionPolicy?: string;
  Condition?: string;
}
interface Template {
  Resources: Record<string, Resource>;
  Parameters?: Record<string, { Type: string; Default?: string; NoEcho?: boolean }>;
  Conditions?: Record<string, Json>;
  Outputs?: Record<string, { Value: Json }>;
}

// Dummy credentials, no profile: packaging must not need (or reach) AWS.
const OSLS_ENV: NodeJS.ProcessEnv = {
  ...process.env,
  AWS_ACCESS_KEY_ID: 'x',
  AWS_SECRET_ACCESS_KEY: 'y',
  AWS_REGION: 'eu-west-1',
  AWS_PROFILE: undefined,
  AWS_SESSION_TOKEN: undefined,
  SLS_TELEMETRY_DISABLED: '1',
  SLS_NOTIFICATIONS_MODE: 'off',
};

async function osls(args: string[]): Promise<void> {
  await run(path.join(ROOT, 'node_modules', '.bin', 'osls'), args, {
    cwd: ROOT,
    env: OSLS_ENV,
    maxBuffer: 16 * 1024 * 1024,
  });
}

async function readTemplate(dir: string): Promise<Template> {
  return JSON.parse(await readFile(path.join(dir, 'cloudformation-template-update-stack.json'), 'utf8'));
}

function zipEntries(file: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true, autoClose: true }, (err, zip) => {
      if (err || !zip) return reject(err ?? new Error(`cannot open ${file}`));
      const names: string[] = [];
      zip.on('entry', (entry: yauzl.Entry) => {
        names.push(entry.fileName);
        zip.readEntry();
      });
      zip.on('end', () => resolve(names));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

function byType(t: Template, type: string): [string, Resource][] {
  return Object.entries(t.Resources).filter(([, r]) => r.Type === type);
}

function functionOf(t: Template, fn: Fn): [string, Resource] {
  const found = byType(t, 'AWS::Lambda::Function').find(
    ([, r]) => r.Properties?.FunctionName === `qc-slack-ci-${fn}`,
  );
  if (!found) throw new Error(`no Lambda function qc-slack-ci-${fn}`);
  return found;
}

/** The environment variables of a function. */
function envOf(t: Template, fn: Fn): Record<string, Json> {
  const environment = functionOf(t, fn)[1].Properties?.Environment as
    | { Variables?: Record<string, Json> }
    | undefined;
  return environment?.Variables ?? {};
}

/** A CloudFormation Fn::Sub placeholder, `${name}` (built so that it is not a JS template by mistake). */
const sub = (name: string): string => ['$', '{', name, '}'].join('');

/** Logical ID in { "Fn::GetAtt": [id, attr] } / { Ref: id }. */
function refId(value: Json | undefined): string | undefined {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const getAtt = value['Fn::GetAtt'];
    if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') return getAtt[0];
    if (typeof value.Ref === 'string') return value.Ref;
  }
  return undefined;
}

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource?: Json;
  NotResource?: Json;
  Principal?: Json;
}

/** Every policy statement in a resource: role inline policies, IAM policies, bucket/queue policies. */
function statementsOf(r: Resource): Statement[] {
  const docs: Json[] = [];
  const p = r.Properties ?? {};
  if (Array.isArray(p.Policies)) {
    for (const pol of p.Policies)
      if (pol && typeof pol === 'object' && !Array.isArray(pol)) docs.push(pol.PolicyDocument ?? null);
  }
  if (p.PolicyDocument) docs.push(p.PolicyDocument);
  const out: Statement[] = [];
  for (const doc of docs) {
    if (!doc || typeof doc !== 'object' || Array.isArray(doc)) continue;
    const st = doc.Statement;
    const list = Array.isArray(st) ? st : st ? [st] : [];
    for (const s of list) out.push(...conditionalStatements(s));
  }
  return out;
}

/** A statement, or both branches of `Fn::If: [cond, statement, AWS::NoValue]` (a conditional statement). */
function conditionalStatements(s: Json): Statement[] {
  if (s && typeof s === 'object' && !Array.isArray(s) && Array.isArray(s['Fn::If'])) {
    return s['Fn::If']
      .slice(1)
      .flatMap((b) => (b && typeof b === 'object' && 'Effect' in b ? conditionalStatements(b) : []));
  }
  return [s as unknown as Statement];
}

/** Renders a Resource value (string, array, Ref, GetAtt, Join, Sub) into strings, intrinsics as {…}. */
function resourceStrings(value: Json | undefined): string[] {
  if (value === undefined || value === null) return [];
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap((v) => resourceStrings(v));
  if (typeof value === 'object') {
    if ('Ref' in value) return [`{Ref:${String(value.Ref)}}`];
    if ('Fn::GetAtt' in value) return [`{GetAtt:${JSON.stringify(value['Fn::GetAtt'])}}`];
    if ('Fn::Sub' in value) {
      const sub = value['Fn::Sub'];
      return [
        typeof sub === 'string' ? sub : Array.isArray(sub) && typeof sub[0] === 'string' ? sub[0] : '?',
      ];
    }
    if ('Fn::Join' in value) {
      const join = value['Fn::Join'];
      if (Array.isArray(join) && typeof join[0] === 'string' && Array.isArray(join[1])) {
        return [join[1].map((part) => resourceStrings(part).join('|')).join(join[0])];
      }
    }
    if ('Fn::If' in value) {
      const branches = value['Fn::If'];
      return Array.isArray(branches) ? branches.slice(1).flatMap((b) => resourceStrings(b)) : ['?'];
    }
    return [JSON.stringify(value)];
  }
  return [String(value)];
}

/**
 * A Resource is unscoped if it is `*`, or an ARN whose resource part names nothing (`…:*`,
 * `…:table/*`). `${…}` substitutions, Refs and GetAtts count as naming something.
 */
function isUnscoped(resource: string): boolean {
  const s = resource
    .replace(/\$\{[^}]*\}/g, '#ref#')
    .replace(/\{(Ref|GetAtt):[^}]*\}/g, '#ref#')
    .trim();
  if (/^[*:]+$/.test(s)) return true;
  if (!s.startsWith('arn:')) return false;
  const resourcePart = s.split(':').slice(5).join(':');
  return resourcePart === '' || resourcePart === '*' || /^[A-Za-z-]+[/:]\*$/.test(resourcePart);
}

function actionsOfRole(role: Resource): Set<string> {
  const actions = new Set<string>();
  for (const s of statementsOf(role)) {
    if (s.Effect !== 'Allow') continue;
    for (const a of Array.isArray(s.Action) ? s.Action : [s.Action]) actions.add(a);
  }
  return actions;
}

/** Logical IDs a value refers to (Ref, Fn::GetAtt, ${…} in Fn::Sub), pseudo parameters excluded. */
function referencesIn(value: Json | undefined, out = new Set<string>()): Set<string> {
  if (Array.isArray(value)) {
    for (const v of value) referencesIn(v, out);
  } else if (value && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      if (key === 'Ref' && typeof v === 'string') out.add(v);
      else if (key === 'Fn::GetAtt' && Array.isArray(v) && typeof v[0] === 'string') out.add(v[0]);
      else if (key === 'Fn::Sub') {
        const text = typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : '';
        for (const m of text.matchAll(/\$\{([^}!.]+)(?:\.[^}]*)?\}/g)) if (m[1]) out.add(m[1]);
        if (Array.isArray(v)) referencesIn(v[1], out);
      } else referencesIn(v, out);
    }
  }
  for (const id of out) if (id.startsWith('AWS::')) out.delete(id);
  return out;
}

/** A resource dependency cycle, if any (CloudFormation rejects those at deploy time). */
function findCycle(t: Template): string[] | undefined {
  const edges = new Map<string, string[]>();
  for (const [id, r] of Object.entries(t.Resources)) {
    const deps = referencesIn(r as unknown as Json);
    for (const d of typeof r.DependsOn === 'string' ? [r.DependsOn] : (r.DependsOn ?? [])) deps.add(d);
    edges.set(
      id,
      [...deps].filter((d) => d in t.Resources),
    );
  }
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (id: string): string[] | undefined => {
    if (state.get(id) === 'done') return undefined;
    if (state.get(id) === 'visiting') return [...stack.slice(stack.indexOf(id)), id];
    state.set(id, 'visiting');
    stack.push(id);
    for (const d of edges.get(id) ?? []) {
      const cycle = visit(d);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(id, 'done');
    return undefined;
  };
  for (const id of edges.keys()) {
    const cycle = visit(id);
    if (cycle) return cycle;
  }
  return undefined;
}

const LOGS = ['logs:CreateLogStream', 'logs:PutLogEvents'];
const DDB_RW = ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'];
const DDB_ALL = [...DDB_RW, 'dynamodb:DeleteItem', 'dynamodb:Query'];
// Secrets: SecureString parameters read at cold start (kms:Decrypt only with a customer managed key).
const SECRETS = ['ssm:GetParameters', 'kms:Decrypt'];
const EXPECTED_ACTIONS: Record<Fn, string[]> = {
  slack: [...LOGS, ...DDB_RW, 'sqs:SendMessage', ...SECRETS],
  worker: [
    ...LOGS,
    ...DDB_ALL,
    'sqs:ReceiveMessage',
    'sqs:DeleteMessage',
    'sqs:GetQueueAttributes',
    ...SECRETS,
  ],
  keeper: [...LOGS, ...DDB_ALL, ...SECRETS],
  'gateway-events': [...LOGS, ...DDB_ALL, ...SECRETS],
  alerts: [...LOGS, ...DDB_RW, 'dynamodb:DeleteItem', 'sqs:SendMessage', ...SECRETS],
};
/** Every function's environment, exactly: what its code reads, and secrets only as SSM parameter names. */
const COMMON_ENV = ['TABLE_NAME', 'LOG_LEVEL', 'AWS_NODEJS_CONNECTION_REUSE_ENABLED', 'NODE_OPTIONS'];
const GATEWAY_ENV = ['CCGW_BASE_URL', 'CCGW_CA_PEM'];
const EXPECTED_ENV: Record<Fn, string[]> = {
  slack: [
    ...COMMON_ENV,
    ...GATEWAY_ENV,
    'QUEUE_URL',
    'SLACK_SIGNING_SECRET_PARAM',
    'SLACK_BOT_TOKEN_PARAM',
    'SLACK_BOT_ID',
    'SLACK_BOT_USER_ID',
    'QC_ADMIN_USER_IDS',
    'GATEWAY_CALLBACK_URL',
  ],
  worker: [
    ...COMMON_ENV,
    ...GATEWAY_ENV,
    'SLACK_BOT_TOKEN_PARAM',
    'QC_ADMIN_USER_IDS',
    'QC_DEFAULT_PERMISSIONS',
    'AUDIT_RETENTION_DAYS',
  ],
  keeper: [...COMMON_ENV, ...GATEWAY_ENV, 'SLACK_BOT_TOKEN_PARAM'],
  // receivePush takes the worker's deps (QcDeps), gateway client included, though it never calls it.
  'gateway-events': [...COMMON_ENV, ...GATEWAY_ENV, 'SLACK_BOT_TOKEN_PARAM'],
  alerts: [...COMMON_ENV, 'QUEUE_URL', 'SLACK_BOT_TOKEN_PARAM', 'ALERTS_SECRET_PARAM'],
};
/** The SecureString parameter behind each `<NAME>_PARAM` variable. */
const SECRET_PARAMS: Record<string, string> = {
  SLACK_SIGNING_SECRET_PARAM: 'slack-signing-secret',
  SLACK_BOT_TOKEN_PARAM: 'slack-bot-token',
  ALERTS_SECRET_PARAM: 'alerts-secret',
};
const ssmArn = (name: string, stage = 'ci') =>
  `arn:${sub('AWS::Partition')}:ssm:${sub('AWS::Region')}:${sub('AWS::AccountId')}:parameter/qc-slack/${stage}/${name}`;
/** The statements of a function's role that grant `action`. */
function grantsOf(t: Template, fn: Fn, action: string): Statement[] {
  const roleId = refId(functionOf(t, fn)[1].Properties?.Role);
  return statementsOf(t.Resources[roleId ?? ''] as Resource).filter((s) =>
    (Array.isArray(s.Action) ? s.Action : [s.Action]).includes(action),
  );
}
const EXPECTED_SIZES: Record<Fn, { memory: number; timeout: number }> = {
  slack: { memory: 512, timeout: 10 },
  worker: { memory: 512, timeout: 30 },
  keeper: { memory: 512, timeout: 70 },
  'gateway-events': { memory: 256, timeout: 10 },
  alerts: { memory: 256, timeout: 10 },
};

let template: Template;
// `--package <dir>` instead of the default .serverless/: the same files, and two test runs in one
// work tree (a developer's and an editor's, say) cannot delete each other's output mid-test.
let serverlessDir: string;

beforeAll(async () => {
  await run('npm', ['run', 'build'], { cwd: ROOT, env: process.env, maxBuffer: 16 * 1024 * 1024 });
  serverlessDir = await mkdtemp(path.join(tmpdir(), 'qc-slack-osls-ci-'));
  await osls(['package', '--stage', 'ci', '--region', 'eu-west-1', '--package', serverlessDir]);
  template = await readTemplate(serverlessDir);
}, 180_000);

afterAll(async () => {
  if (serverlessDir) await rm(serverlessDir, { recursive: true, force: true });
});

describe('osls package --stage ci (offline, dummy credentials)', () => {
  it.each(FUNCTIONS.map((fn) => [fn]))(
    'function %s: nodejs22.x, arm64, dist/<fn>/index.handler, sizes',
    (fn) => {
      const [, f] = functionOf(template, fn);
      expect(f.Properties?.Runtime).toBe('nodejs22.x');
      expect(f.Properties?.Handler).toBe(`dist/${fn}/index.handler`);
      expect(f.Properties?.Architectures).toEqual(['arm64']);
      expect(f.Properties?.MemorySize).toBe(EXPECTED_SIZES[fn].memory);
      expect(f.Properties?.Timeout).toBe(EXPECTED_SIZES[fn].timeout);
    },
  );

  it('is a well-formed template: every Ref/GetAtt/Sub/DependsOn target exists, no dependency cycle', () => {
    const known = new Set([...Object.keys(template.Resources), ...Object.keys(template.Parameters ?? {})]);
    const everything = { Resources: template.Resources, Outputs: template.Outputs ?? {} } as unknown as Json;
    const missing = [...referencesIn(everything)].filter((id) => !known.has(id));
    expect(missing).toEqual([]);
    for (const [id, r] of Object.entries(template.Resources)) {
      for (const d of typeof r.DependsOn === 'string' ? [r.DependsOn] : (r.DependsOn ?? [])) {
        expect(template.Resources[d], `${id} DependsOn ${d}`).toBeDefined();
      }
    }
    const conditions = JSON.stringify(template.Resources).match(/"Fn::If":\["([^"]+)"/g) ?? [];
    for (const c of conditions) expect(template.Conditions?.[c.slice(11, -1)], c).toBeDefined();
    expect(findCycle(template)).toBeUndefined();
  });

  it('the cycle check itself finds a cycle', () => {
    const looped: Template = {
      Resources: {
        A: { Type: 'X', Properties: { p: { Ref: 'B' } } },
        B: { Type: 'X', Properties: { p: { 'Fn::Sub': `${sub('C.Arn')}/x` } } },
        C: { Type: 'X', DependsOn: ['A'] },
      },
    };
    expect(findCycle(looped)).toEqual(['A', 'B', 'C', 'A']);
  });

  it('signs inspectors in with poll mode unless gatewayPush is set', () => {
    expect(template.Conditions?.UseGatewayPush).toEqual({ 'Fn::Equals': ['false', 'true'] });
    const env = envOf(template, 'slack');
    expect(env.GATEWAY_CALLBACK_URL).toEqual({
      'Fn::If': [
        'UseGatewayPush',
        { 'Fn::Join': ['', [{ 'Fn::GetAtt': ['HttpApi', 'ApiEndpoint'] }, '/gateway/events']] },
        '',
      ],
    });
  });

  it('has exactly the five functions', () => {
    const names = byType(template, 'AWS::Lambda::Function').map(([, r]) => r.Properties?.FunctionName);
    expect(names.sort()).toEqual(FUNCTIONS.map((fn) => `qc-slack-ci-${fn}`).sort());
  });

  it.each(FUNCTIONS.map((fn) => [fn]))(
    'gives %s exactly the configuration it uses, and its secrets only as SSM parameter names',
    (fn) => {
      const env = envOf(template, fn);
      expect(Object.keys(env).sort()).toEqual([...EXPECTED_ENV[fn]].sort());
      expect(env.TABLE_NAME).toEqual({ Ref: 'QcTable' });
      expect(env.LOG_LEVEL).toBe('info');
      expect(env.AWS_NODEJS_CONNECTION_REUSE_ENABLED).toBe('1');
      expect(env.NODE_OPTIONS).toBe('--enable-source-maps');
      if ('QUEUE_URL' in env) expect(env.QUEUE_URL).toEqual({ Ref: 'QcJobsQueue' });
      if ('CCGW_BASE_URL' in env) expect(env.CCGW_BASE_URL).toEqual({ Ref: 'CcgwBaseUrlParam' });
      if ('CCGW_CA_PEM' in env) expect(env.CCGW_CA_PEM).toEqual({ Ref: 'CcgwCaPemParam' });
      if ('QC_ADMIN_USER_IDS' in env) expect(env.QC_ADMIN_USER_IDS).toEqual({ Ref: 'QcAdminUserIdsParam' });
      for (const [name, value] of Object.entries(env)) {
        if (!name.endsWith('_PARAM')) continue;
        // A parameter NAME, a plain string: never a value resolved by CloudFormation.
        expect(value, name).toBe(`/qc-slack/ci/${SECRET_PARAMS[name]}`);
      }
      for (const secret of ['SLACK_SIGNING_SECRET', 'SLACK_BOT_TOKEN', 'ALERTS_SECRET']) {
        expect(env[secret], `${fn}: ${secret}`).toBeUndefined();
      }
    },
  );

  it('resolves no secret at deploy time: only the non-secret settings are CloudFormation SSM parameters', () => {
    const params = template.Parameters ?? {};
    const ssm = {
      SlackBotIdParam: 'slack-bot-id',
      SlackBotUserIdParam: 'slack-bot-user-id',
      CcgwBaseUrlParam: 'ccgw-base-url',
      CcgwCaPemParam: 'ccgw-ca-pem',
      QcAdminUserIdsParam: 'qc-admin-user-ids',
    };
    for (const [name, key] of Object.entries(ssm)) {
      expect(params[name]?.Type).toBe('AWS::SSM::Parameter::Value<String>');
      expect(params[name]?.Default).toBe(`/qc-slack/ci/${key}`);
    }
    for (const [name, p] of Object.entries(params)) {
      expect(p.Default ?? '', name).not.toMatch(/slack-signing-secret|slack-bot-token|alerts-secret/);
    }
    // Nothing in the whole template names a secret except as a parameter name or ARN.
    const text = JSON.stringify(template);
    for (const key of ['slack-signing-secret', 'slack-bot-token', 'alerts-secret']) {
      for (const m of text.matchAll(new RegExp(`.{0,40}${key}`, 'g'))) {
        expect(m[0]).toMatch(new RegExp(`(parameter)?/qc-slack/ci/${key}$`));
      }
    }
  });

  it.each(FUNCTIONS.map((fn) => [fn]))(
    '%s may read exactly its own secret parameters (ssm:GetParameters, no wildcard)',
    (fn) => {
      const wanted = Object.keys(envOf(template, fn))
        .filter((name) => name.endsWith('_PARAM'))
        .map((name) => ssmArn(SECRET_PARAMS[name] ?? '?'))
        .sort();
      const grants = grantsOf(template, fn, 'ssm:GetParameters');
      expect(grants).toHaveLength(1);
      expect(grants[0]?.Action).toEqual(['ssm:GetParameters']);
      expect(resourceStrings(grants[0]?.Resource).sort()).toEqual(wanted);
      for (const other of ['ssm:GetParameter', 'ssm:GetParametersByPath', 'ssm:DescribeParameters']) {
        expect(grantsOf(template, fn, other), other).toEqual([]);
      }
    },
  );

  it.each(FUNCTIONS.map((fn) => [fn]))(
    '%s gets kms:Decrypt only with a customer managed key, only through SSM, only for its parameters',
    (fn) => {
      // aws/ssm (the default) already lets every principal of the account decrypt through SSM: an IAM
      // grant would add nothing. With secretsKmsKeyArn set, the grant names that one key.
      expect(template.Conditions?.UseSecretsKmsKey).toEqual({ 'Fn::Not': [{ 'Fn::Equals': ['', ''] }] });
      const roleId = refId(functionOf(template, fn)[1].Properties?.Role) ?? '';
      const policies = template.Resources[roleId]?.Properties?.Policies as {
        PolicyDocument: { Statement: Json[] };
      }[];
      const conditional = policies
        .flatMap((p) => p.PolicyDocument.Statement)
        .filter((s) => JSON.stringify(s).includes('kms:Decrypt'));
      expect(conditional).toHaveLength(1);
      const branches = (conditional[0] as { 'Fn::If': Json[] })['Fn::If'];
      expect(branches[0]).toBe('UseSecretsKmsKey');
      expect(branches[2]).toEqual({ Ref: 'AWS::NoValue' });
      const grant = branches[1] as unknown as Statement & { Condition: Record<string, Record<string, Json>> };
      expect(grant.Action).toEqual(['kms:Decrypt']);
      expect(grant.Resource).toBe('');
      expect(grant.Condition.StringEquals?.['kms:ViaService']).toEqual({
        'Fn::Sub': `ssm.${sub('AWS::Region')}.amazonaws.com`,
      });
      const arns = resourceStrings(grant.Condition.StringEquals?.['kms:EncryptionContext:PARAMETER_ARN']);
      expect(arns.sort()).toEqual(
        resourceStrings(grantsOf(template, fn, 'ssm:GetParameters')[0]?.Resource).sort(),
      );
    },
  );

  it('reserves concurrency for the keeper and the worker, and caps the queue poller below the reservation', () => {
    const reserved = (fn: Fn) => functionOf(template, fn)[1].Properties?.ReservedConcurrentExecutions;
    // Two runs per shard can overlap (55 s runs, 70 s timeout, one per minute).
    expect(reserved('keeper')).toBe(2);
    expect(reserved('worker')).toBe(10);
    for (const fn of ['slack', 'gateway-events', 'alerts'] as const) expect(reserved(fn)).toBeUndefined();
    const mapping = byType(template, 'AWS::Lambda::EventSourceMapping')[0]?.[1].Properties ?? {};
    // Without this, a burst past the reservation throttles the worker and SQS counts it as a receive.
    expect(mapping.ScalingConfig).toEqual({ MaximumConcurrency: 10 });
  });

  it('throttles the public HTTP API routes', () => {
    const stage = template.Resources.HttpApiStage;
    expect(stage?.Type).toBe('AWS::ApiGatewayV2::Stage');
    const p = stage?.Properties ?? {};
    expect(p.DefaultRouteSettings).toEqual(
      expect.objectContaining({ ThrottlingBurstLimit: 100, ThrottlingRateLimit: 50 }),
    );
    expect(p.RouteSettings).toEqual({
      'POST /slack/events': { ThrottlingBurstLimit: 100, ThrottlingRateLimit: 50 },
      'POST /gateway/events': { ThrottlingBurstLimit: 100, ThrottlingRateLimit: 50 },
      'POST /alerts': { ThrottlingBurstLimit: 10, ThrottlingRateLimit: 5 },
    });
    // Route settings name routes by key: the stage must come after the routes.
    const routeIds = byType(template, 'AWS::ApiGatewayV2::Route').map(([id]) => id);
    const dependsOn = typeof stage?.DependsOn === 'string' ? [stage.DependsOn] : (stage?.DependsOn ?? []);
    for (const id of routeIds) expect(dependsOn, id).toContain(id);
  });

  it('alarms when the dead-letter queue holds a message', () => {
    const alarms = byType(template, 'AWS::CloudWatch::Alarm');
    expect(alarms).toHaveLength(1);
    const a = alarms[0]?.[1].Properties ?? {};
    expect(a.Namespace).toBe('AWS/SQS');
    expect(a.MetricName).toBe('ApproximateNumberOfMessagesVisible');
    expect(a.Dimensions).toEqual([
      { Name: 'QueueName', Value: { 'Fn::GetAtt': ['QcJobsDlq', 'QueueName'] } },
    ]);
    expect(a.ComparisonOperator).toBe('GreaterThanThreshold');
    expect(a.Threshold).toBe(0);
    expect(a.Statistic).toBe('Maximum');
    expect(a.EvaluationPeriods).toBe(1);
    expect(a.TreatMissingData).toBe('notBreaching');
    // No topic by default (alarmTopicArn empty); the prod package below sets one.
    expect(template.Conditions?.UseAlarmTopic).toEqual({ 'Fn::Not': [{ 'Fn::Equals': ['', ''] }] });
    expect(a.AlarmActions).toEqual({ 'Fn::If': ['UseAlarmTopic', [''], { Ref: 'AWS::NoValue' }] });
  });

  it('routes POST /slack/events, /gateway/events, /alerts on an HTTP API (payload 2.0) to their functions', () => {
    const routes = byType(template, 'AWS::ApiGatewayV2::Route');
    const want: Record<string, Fn> = {
      'POST /slack/events': 'slack',
      'POST /gateway/events': 'gateway-events',
      'POST /alerts': 'alerts',
    };
    expect(routes.map(([, r]) => r.Properties?.RouteKey).sort()).toEqual(Object.keys(want).sort());
    for (const [, route] of routes) {
      const target = route.Properties?.Target as { 'Fn::Join': [string, Json[]] };
      const integrationId = refId(target['Fn::Join'][1][1]);
      const integration = template.Resources[integrationId ?? ''];
      expect(integration?.Properties?.PayloadFormatVersion).toBe('2.0');
      const fnId = refId(integration?.Properties?.IntegrationUri);
      const fn = want[route.Properties?.RouteKey as string] as Fn;
      expect(fnId).toBe(functionOf(template, fn)[0]);
    }
  });

  it('has a FIFO queue with SSE, retention that fits the 60 s job age, redrive to a FIFO DLQ after 3 receives', () => {
    const q = template.Resources.QcJobsQueue?.Properties ?? {};
    const dlq = template.Resources.QcJobsDlq?.Properties ?? {};
    expect(template.Resources.QcJobsQueue?.Type).toBe('AWS::SQS::Queue');
    expect(q.FifoQueue).toBe(true);
    expect(q.ContentBasedDeduplication).toBe(false);
    expect(q.QueueName).toMatch(/\.fifo$/);
    expect(q.SqsManagedSseEnabled).toBe(true);
    const redrive = q.RedrivePolicy as { deadLetterTargetArn: Json; maxReceiveCount: number };
    expect(redrive.maxReceiveCount).toBe(3);
    // The worker refuses a job older than 60 s, so a job has no use for long retention; but every job
    // that keeps failing must reach the DLQ (and its alarm) before it expires: retention ≥ receives ×
    // visibility. Visibility must cover one worker run (Lambda requires ≥ the function timeout).
    const visibility = Number(q.VisibilityTimeout);
    const retention = Number(q.MessageRetentionPeriod);
    expect(visibility).toBeGreaterThanOrEqual(2 * EXPECTED_SIZES.worker.timeout);
    expect(visibility).toBeLessThanOrEqual(60);
    expect(retention).toBe(300);
    expect(retention).toBeGreaterThan(redrive.maxReceiveCount * visibility);
    expect(redrive.deadLetterTargetArn).toEqual({ 'Fn::GetAtt': ['QcJobsDlq', 'Arn'] });
    expect(dlq.FifoQueue).toBe(true);
    expect(dlq.QueueName).toMatch(/\.fifo$/);
    expect(dlq.SqsManagedSseEnabled).toBe(true);
  });

  it('maps the queue to the worker with BatchSize 1 and ReportBatchItemFailures', () => {
    const mappings = byType(template, 'AWS::Lambda::EventSourceMapping');
    expect(mappings).toHaveLength(1);
    const m = mappings[0]?.[1].Properties ?? {};
    expect(m.EventSourceArn).toEqual({ 'Fn::GetAtt': ['QcJobsQueue', 'Arn'] });
    expect(refId(m.FunctionName)).toBe(functionOf(template, 'worker')[0]);
    expect(m.BatchSize).toBe(1);
    expect(m.FunctionResponseTypes).toEqual(['ReportBatchItemFailures']);
  });

  it('has the table: pk/sk, gsi1, on-demand, TTL on `ttl`, PITR, SSE, no deletion protection outside prod', () => {
    const table = template.Resources.QcTable;
    expect(table?.Type).toBe('AWS::DynamoDB::Table');
    const p = table?.Properties ?? {};
    expect(p.BillingMode).toBe('PAY_PER_REQUEST');
    expect(p.KeySchema).toEqual([
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
    expect(p.AttributeDefinitions).toEqual(
      expect.arrayContaining([
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
        { AttributeName: 'gsi1pk', AttributeType: 'S' },
        { AttributeName: 'gsi1sk', AttributeType: 'S' },
      ]),
    );
    expect(p.GlobalSecondaryIndexes).toEqual([
      {
        IndexName: 'gsi1',
        KeySchema: [
          { AttributeName: 'gsi1pk', KeyType: 'HASH' },
          { AttributeName: 'gsi1sk', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      },
    ]);
    expect(p.TimeToLiveSpecification).toEqual({ AttributeName: 'ttl', Enabled: true });
    expect(p.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
    expect(p.SSESpecification).toEqual({ SSEEnabled: true });
    expect(p.DeletionProtectionEnabled).toBe(false);
    expect(table?.DeletionPolicy).toBe('Delete');
  });

  it('schedules the keeper every minute as shard 0 of 1, without async retries', () => {
    const rules = byType(template, 'AWS::Events::Rule');
    expect(rules).toHaveLength(1);
    const rule = rules[0]?.[1].Properties ?? {};
    expect(rule.ScheduleExpression).toBe('rate(1 minute)');
    const target = (rule.Targets as { Arn: Json; Input: string }[])[0];
    expect(refId(target?.Arn)).toBe(functionOf(template, 'keeper')[0]);
    expect(JSON.parse(target?.Input ?? '{}')).toEqual({ shard: 0, shards: 1 });
    const invokeConfig = byType(template, 'AWS::Lambda::EventInvokeConfig').find(
      ([, r]) => refId(r.Properties?.FunctionName) === functionOf(template, 'keeper')[0],
    );
    expect(invokeConfig?.[1].Properties?.MaximumRetryAttempts).toBe(0);
  });

  it('has no IAM statement with a wildcard Resource anywhere in the template', () => {
    const offenders: string[] = [];
    let checked = 0;
    for (const [id, r] of Object.entries(template.Resources)) {
      for (const s of statementsOf(r)) {
        expect(s.NotResource, `${id}: NotResource`).toBeUndefined();
        const resources = resourceStrings(s.Resource);
        expect(resources.length, `${id}: statement without Resource`).toBeGreaterThan(0);
        for (const res of resources) {
          checked++;
          if (isUnscoped(res)) offenders.push(`${id}: ${res}`);
        }
      }
    }
    expect(checked).toBeGreaterThan(10);
    expect(offenders).toEqual([]);
  });

  it('the wildcard check itself catches unscoped resources', () => {
    const arn = (service: string, rest: string) =>
      `arn:${sub('AWS::Partition')}:${service}:${sub('AWS::Region')}:${sub('AWS::AccountId')}:${rest}`;
    expect(isUnscoped('*')).toBe(true);
    expect(isUnscoped('arn:aws:logs:eu-west-1:123456789012:*')).toBe(true);
    expect(isUnscoped(arn('dynamodb', 'table/*'))).toBe(true);
    expect(isUnscoped('arn:aws:sqs:*:*:*')).toBe(true);
    expect(isUnscoped(arn('logs', 'log-group:/aws/lambda/qc-slack-ci-*:*'))).toBe(false);
    expect(isUnscoped('{GetAtt:["QcTable","Arn"]}')).toBe(false);
    expect(isUnscoped(`${sub('QcTable.Arn')}/index/gsi1`)).toBe(false);
    expect(isUnscoped('arn:{Ref:AWS::Partition}:s3:::*')).toBe(true);
    expect(isUnscoped('arn:{Ref:AWS::Partition}:s3:::{Ref:ServerlessDeploymentBucket}/*')).toBe(false);
  });

  it.each(FUNCTIONS.map((fn) => [fn]))('role of %s has exactly its actions, on its own resources', (fn) => {
    const [, f] = functionOf(template, fn);
    const roleId = refId(f.Properties?.Role);
    expect(roleId).toBeDefined();
    const role = template.Resources[roleId ?? ''];
    expect(role?.Type).toBe('AWS::IAM::Role');
    expect([...actionsOfRole(role as Resource)].sort()).toEqual([...EXPECTED_ACTIONS[fn]].sort());
    const trust = JSON.stringify(role?.Properties?.AssumeRolePolicyDocument);
    expect(trust).toContain('lambda.amazonaws.com');
    for (const s of statementsOf(role as Resource)) {
      const actions = Array.isArray(s.Action) ? s.Action : [s.Action];
      const resources = resourceStrings(s.Resource);
      if (actions.some((a) => a.startsWith('logs:'))) {
        expect(resources).toEqual([expect.stringContaining(`:log-group:/aws/lambda/qc-slack-ci-${fn}:*`)]);
      } else if (actions.some((a) => a.startsWith('dynamodb:'))) {
        for (const res of resources) expect(res).toMatch(/QcTable/);
      } else if (actions.some((a) => a.startsWith('sqs:'))) {
        expect(resources).toEqual(['{GetAtt:["QcJobsQueue","Arn"]}']);
      }
    }
    // The VPC managed policy is attached only under the UseVpc condition.
    const managed = role?.Properties?.ManagedPolicyArns;
    if (managed !== undefined) expect(JSON.stringify(managed)).toMatch(/^\{"Fn::If":\["UseVpc"/);
  });

  it('slack role cannot delete, query or consume the queue', () => {
    const roleId = refId(functionOf(template, 'slack')[1].Properties?.Role);
    const actions = actionsOfRole(template.Resources[roleId ?? ''] as Resource);
    for (const a of [
      'dynamodb:DeleteItem',
      'dynamodb:Query',
      'dynamodb:Scan',
      'sqs:ReceiveMessage',
      'sqs:DeleteMessage',
    ]) {
      expect(actions.has(a), a).toBe(false);
    }
  });

  it('creates no default shared role (every function has its own)', () => {
    expect(template.Resources.IamRoleLambdaExecution).toBeUndefined();
    const roles = new Set(FUNCTIONS.map((fn) => refId(functionOf(template, fn)[1].Properties?.Role)));
    expect(roles.size).toBe(FUNCTIONS.length);
  });

  it('joins no VPC unless vpcSubnetIds is set', () => {
    expect(template.Conditions?.UseVpc).toEqual({ 'Fn::Not': [{ 'Fn::Equals': ['', ''] }] });
    for (const fn of ['slack', 'worker', 'keeper'] as const) {
      const vpc = functionOf(template, fn)[1].Properties?.VpcConfig as { 'Fn::If': Json[] };
      expect(vpc['Fn::If'][0]).toBe('UseVpc');
      expect(vpc['Fn::If'][2]).toEqual({ Ref: 'AWS::NoValue' });
    }
    for (const fn of ['gateway-events', 'alerts'] as const) {
      expect(functionOf(template, fn)[1].Properties?.VpcConfig).toBeUndefined();
    }
  });

  it('outputs the Slack, gateway callback and alerts URLs, the queue URL and the table name', () => {
    const out = template.Outputs ?? {};
    const url = (suffix: string) => ({
      'Fn::Join': ['', [{ 'Fn::GetAtt': ['HttpApi', 'ApiEndpoint'] }, suffix]],
    });
    expect(out.SlackEventsUrl?.Value).toEqual(url('/slack/events'));
    expect(out.GatewayEventsUrl?.Value).toEqual(url('/gateway/events'));
    expect(out.AlertsUrl?.Value).toEqual(url('/alerts'));
    expect(out.QueueUrl?.Value).toEqual({ Ref: 'QcJobsQueue' });
    expect(out.TableName?.Value).toEqual({ Ref: 'QcTable' });
  });

  it.each(FUNCTIONS.map((fn) => [fn]))(
    '%s.zip holds only its own dist/<fn>/ files (no source maps, no meta.json)',
    async (fn) => {
      const names = await zipEntries(path.join(serverlessDir, `${fn}.zip`));
      const files = names.filter((n) => !n.endsWith('/'));
      expect(files).toContain(`dist/${fn}/index.mjs`);
      for (const name of files) {
        expect(name.startsWith(`dist/${fn}/`), name).toBe(true);
        expect(name.endsWith('.map'), name).toBe(false);
        expect(name.endsWith('meta.json'), name).toBe(false);
      }
      const code = functionOf(template, fn)[1].Properties?.Code as { S3Key: string };
      expect(code.S3Key).toMatch(new RegExp(`/${fn}\\.zip$`));
    },
  );
});

const KMS_KEY = 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const ALARM_TOPIC = 'arn:aws:sns:eu-west-1:123456789012:qc-alarms';

describe('osls package --stage prod with keeperShards=3 and a VPC', () => {
  let prod: Template;
  let outDir: string;

  beforeAll(async () => {
    outDir = await mkdtemp(path.join(tmpdir(), 'qc-slack-osls-'));
    await osls([
      'package',
      '--stage',
      'prod',
      '--region',
      'eu-west-1',
      '--package',
      outDir,
      '--param=keeperShards=3',
      '--param=vpcSubnetIds=subnet-aaa,subnet-bbb',
      '--param=vpcSecurityGroupIds=sg-ccc',
      '--param=slackProvisionedConcurrency=2',
      '--param=gatewayPush=true',
      `--param=secretsKmsKeyArn=${KMS_KEY}`,
      `--param=alarmTopicArn=${ALARM_TOPIC}`,
    ]);
    prod = await readTemplate(outDir);
  }, 180_000);

  afterAll(async () => {
    if (outDir) await rm(outDir, { recursive: true, force: true });
  });

  it('one schedule per shard with input {shard, shards}', () => {
    const inputs = byType(prod, 'AWS::Events::Rule')
      .map(([, r]) => ((r.Properties?.Targets ?? []) as { Input: string }[])[0]?.Input ?? '{}')
      .map((s) => JSON.parse(s));
    expect(inputs).toEqual([
      { shard: 0, shards: 3 },
      { shard: 1, shards: 3 },
      { shard: 2, shards: 3 },
    ]);
  });

  it('turns push mode on with gatewayPush=true', () => {
    expect(prod.Conditions?.UseGatewayPush).toEqual({ 'Fn::Equals': ['true', 'true'] });
  });

  it('still has no dependency cycle', () => {
    expect(findCycle(prod)).toBeUndefined();
  });

  it('protects and retains the prod table', () => {
    expect(prod.Resources.QcTable?.Properties?.DeletionProtectionEnabled).toBe(true);
    expect(prod.Resources.QcTable?.DeletionPolicy).toBe('Retain');
  });

  it('puts slack, worker and keeper in the VPC', () => {
    expect(prod.Conditions?.UseVpc).toEqual({ 'Fn::Not': [{ 'Fn::Equals': ['subnet-aaa,subnet-bbb', ''] }] });
    const vpc = prod.Resources.WorkerLambdaFunction?.Properties?.VpcConfig as { 'Fn::If': Json[] };
    expect(vpc['Fn::If'][1]).toEqual({
      SubnetIds: { 'Fn::Split': [',', 'subnet-aaa,subnet-bbb'] },
      SecurityGroupIds: { 'Fn::Split': [',', 'sg-ccc'] },
    });
  });

  it('gives the Slack function provisioned concurrency behind an alias', () => {
    const aliases = byType(prod, 'AWS::Lambda::Alias');
    expect(aliases).toHaveLength(1);
    expect(aliases[0]?.[1].Properties?.ProvisionedConcurrencyConfig).toEqual({
      ProvisionedConcurrentExecutions: 2,
    });
  });

  it('reserves two keeper runs per shard', () => {
    const keeper = byType(prod, 'AWS::Lambda::Function').find(
      ([, r]) => r.Properties?.FunctionName === 'qc-slack-prod-keeper',
    );
    expect(keeper?.[1].Properties?.ReservedConcurrentExecutions).toBe(6);
  });

  it('grants kms:Decrypt on exactly the customer managed key when secretsKmsKeyArn is set', () => {
    expect(prod.Conditions?.UseSecretsKmsKey).toEqual({ 'Fn::Not': [{ 'Fn::Equals': [KMS_KEY, ''] }] });
    const role = prod.Resources.WorkerRole as Resource;
    const kms = statementsOf(role).filter((s) => JSON.stringify(s.Action).includes('kms:'));
    expect(kms).toHaveLength(1);
    expect(kms[0]?.Resource).toBe(KMS_KEY);
    expect(isUnscoped(KMS_KEY)).toBe(false);
    expect(JSON.stringify(kms[0])).toContain(ssmArn('slack-bot-token', 'prod'));
  });

  it('sends the DLQ alarm to alarmTopicArn', () => {
    const alarm = byType(prod, 'AWS::CloudWatch::Alarm')[0]?.[1].Properties ?? {};
    expect(prod.Conditions?.UseAlarmTopic).toEqual({ 'Fn::Not': [{ 'Fn::Equals': [ALARM_TOPIC, ''] }] });
    expect(alarm.AlarmActions).toEqual({
      'Fn::If': ['UseAlarmTopic', [ALARM_TOPIC], { Ref: 'AWS::NoValue' }],
    });
    expect(alarm.OKActions).toEqual(alarm.AlarmActions);
  });
});
