import { AwsClient } from 'aws4fetch';
import { keys } from './keys';
import { type InspectorLink, StoreError, type StoreRecord } from './types';

/** The reads the Slack ack path needs: the link, and (for QC commands) whether its session is live. */
export interface LinkReader {
  getLink(teamId: string, userId: string): Promise<InspectorLink | undefined>;
  /**
   * Whether `inspectorId` has an active gateway session signed in by this very Slack user (team and
   * user), and if not, why their own last one ended. The worker re-checks (the queue is not trusted).
   */
  sessionOf(who: { teamId: string; userId: string }, inspectorId: string): Promise<AckSession>;
}

export type AckSession = { active: true } | { active: false; endedReason?: string };

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
    const item = await this.#getItem('link', keys.link(teamId, userId));
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

  async sessionOf(who: { teamId: string; userId: string }, inspectorId: string): Promise<AckSession> {
    // Only what the answer needs: never the Guid on the ack path. Consistent: a sign-in a moment
    // ago must be seen.
    const item = await this.#getItem('session', keys.session(inspectorId), {
      ConsistentRead: true,
      ProjectionExpression: '#status, teamId, userId, endedReason',
      ExpressionAttributeNames: { '#status': 'status' },
    });
    const own = item?.teamId?.S === who.teamId && item?.userId?.S === who.userId;
    if (own && item?.status?.S === 'active') return { active: true };
    const endedReason = own ? item?.endedReason?.S : undefined;
    return { active: false, ...(endedReason ? { endedReason } : {}) };
  }

  /** The item, or a StoreError (never quoting the key: it holds Slack IDs) when DynamoDB cannot say. */
  async #getItem(
    record: StoreRecord,
    key: { pk: string; sk: string },
    extra: Record<string, unknown> = {},
  ): Promise<Record<string, AttributeValue> | undefined> {
    let res: Response;
    let text: string;
    try {
      res = await this.#aws.fetch(`${this.#endpoint.replace(/\/$/, '')}/`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-amz-json-1.0',
          'x-amz-target': 'DynamoDB_20120810.GetItem',
        },
        body: JSON.stringify({
          TableName: this.#table,
          Key: { pk: { S: key.pk }, sk: { S: key.sk } },
          ...extra,
        }),
      });
      text = await res.text();
    } catch (err) {
      // fetch's own error says only "fetch failed"; its cause holds the network code (ECONNREFUSED…).
      throw new StoreError('GetItem', record, err instanceof Error && err.cause ? err.cause : err);
    }
    if (!res.ok) {
      const type = /"__type"\s*:\s*"(?:[^"#]*#)?([^"]+)"/.exec(text)?.[1] ?? 'HttpError';
      throw new StoreError('GetItem', record, { name: type, $metadata: { httpStatusCode: res.status } });
    }
    return (JSON.parse(text) as { Item?: Record<string, AttributeValue> }).Item;
  }
}
