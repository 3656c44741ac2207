import type { RecordTable } from './dynamo-util';
import { DAY_SECONDS, keys, ttlAfter } from './keys';
import type { KeptPost, KeptPosts } from './types';

/**
 * Channel messages Slack has not taken yet (429 past the worker's time), in one partition ordered by
 * when they were kept: the keeper posts them in that order and removes each once Slack took it.
 */
export class DynamoPostStore implements KeptPosts {
  constructor(private readonly table: RecordTable) {}

  async keep(post: KeptPost): Promise<void> {
    const { blocks, ...rest } = post;
    await this.table.put({
      Item: {
        ...keys.keptPost(post.at, post.id),
        ...rest,
        ...(blocks ? { blocks: JSON.stringify(blocks) } : {}),
        ttl: ttlAfter(post.at, DAY_SECONDS),
      },
    });
  }

  /** The oldest first, at most `limit`. */
  async list(limit: number): Promise<KeptPost[]> {
    const res = await this.table.query({
      KeyConditionExpression: 'pk = :p',
      ExpressionAttributeValues: { ':p': keys.keptPost(0, '').pk },
      ConsistentRead: true,
      Limit: limit,
    });
    return (res.Items ?? []).map((i) => {
      const { pk: _pk, sk: _sk, ttl: _ttl, blocks, ...rest } = i;
      return {
        ...(rest as Omit<KeptPost, 'blocks'>),
        ...(typeof blocks === 'string' ? { blocks: JSON.parse(blocks) as unknown[] } : {}),
      };
    });
  }

  async remove(post: KeptPost): Promise<void> {
    await this.table.delete({ Key: keys.keptPost(post.at, post.id) });
  }
}
