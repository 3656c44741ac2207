import { AwsClient } from 'aws4fetch';
import { keys } from './keys';
import type { InspectorLink } from './types';

/** The one read the Slack ack path needs. */
export interface LinkReader {
  getLink(teamId: string, userId: string): Promise<InspectorLink | undefined>;
}

type AttributeValue = { S?: string; N?: string; BOOL?: boolean; NULL?: boolean; L?: AttributeValue[] };

/**
 * `GetItem` of a link over DynamoDB's JSON protocol, SigV4-signed by aws4fetch — a few KB instead
 * of the AWS SDK's DynamoDB client (~95 ms of cold load) on the Slack function's ack path.
 */
export class HttpLinkReader implements LinkReader {
  readonly #aws: AwsClient;
  readonly #endpoint: string;
  readonly #table: string;

  constructor(opts: {
    tableName: string;
    region: string;
    endpoint?: string;
    credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  }) {
    this.#table = opts.tableName;
    this.#endpoint = opts.endpoint ?? `https://dynamodb.${opts.region}.amazonaws.com`;
    this.#aws = new AwsClient({ ...opts.credentials, service: 'dynamodb', region: opts.region, retries: 2 });
  }

  async getLink(teamId: string, userId: string): Promise<InspectorLink | undefined> {
    const key = keys.link(teamId, userId);
    const res = await this.#aws.fetch(`${this.#endpoint.replace(/\/$/, '')}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'DynamoDB_20120810.GetItem' },
      body: JSON.stringify({ TableName: this.#table, Key: { pk: { S: key.pk }, sk: { S: key.sk } } }),
    });
    const text = await res.text();
    if (!res.ok) {
      const type = /"__type"\s*:\s*"(?:[^"#]*#)?([^"]+)"/.exec(text)?.[1] ?? `HTTP ${res.status}`;
      throw new Error(`DynamoDB GetItem failed: ${type}`);
    }
    const item = (JSON.parse(text) as { Item?: Record<string, AttributeValue> }).Item;
    if (!item) return undefined;
    const s = (name: string) => item[name]?.S;
    const n = (name: string) => (item[name]?.N !== undefined ? Number(item[name]?.N) : undefined);
    const inspectorId = s('inspectorId');
    if (!inspectorId) return undefined;
    const allowedPhones = (item.allowedPhones?.L ?? [])
      .map((v) => v.S)
      .filter((v): v is string => typeof v === 'string');
    return {
      teamId: s('teamId') ?? teamId,
      userId: s('userId') ?? userId,
      inspectorId,
      ...(s('phone') ? { phone: s('phone') as string } : {}),
      ...(allowedPhones.length ? { allowedPhones } : {}),
      ...(s('displayName') ? { displayName: s('displayName') as string } : {}),
      linkedBy: s('linkedBy') ?? '',
      linkedAt: n('linkedAt') ?? 0,
    };
  }
}
