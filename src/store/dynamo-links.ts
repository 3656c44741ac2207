import { orConflict, type RecordTable, strip, unlessConditionFails } from './dynamo-util';
import { keys } from './keys';
import type { InspectorLink, LinkStore } from './types';

/** Slack user → inspector links (`LINK#team#user`), each inspector ID claimed by one user (`OWNER#…`). */
export class DynamoLinkStore implements LinkStore {
  constructor(private readonly table: RecordTable) {}

  async getLink(teamId: string, userId: string): Promise<InspectorLink | undefined> {
    const res = await this.table.get({ Key: keys.link(teamId, userId) });
    return strip<InspectorLink>(res.Item);
  }

  async putLink(link: InspectorLink): Promise<void> {
    // Claim the inspector ID for this Slack user first (one owner per inspector per team)…
    await orConflict(
      this.table.put({
        Item: { ...keys.linkOwner(link.teamId, link.inspectorId), userId: link.userId },
        ConditionExpression: 'attribute_not_exists(pk) OR userId = :u',
        ExpressionAttributeValues: { ':u': link.userId },
      }),
      `inspector ${link.inspectorId}`,
    );
    // …then write the link; a previous link of this user to another inspector frees that claim.
    const previous = await this.getLink(link.teamId, link.userId);
    const permissions = link.permissions ?? previous?.permissions;
    await this.table.put({
      Item: { ...keys.link(link.teamId, link.userId), ...link, ...(permissions ? { permissions } : {}) },
    });
    if (previous && previous.inspectorId !== link.inspectorId) await this.#releaseOwner(previous);
  }

  async setPermissions(
    teamId: string,
    userId: string,
    permissions: string[],
  ): Promise<InspectorLink | undefined> {
    const res = await unlessConditionFails(
      this.table.update({
        Key: keys.link(teamId, userId),
        UpdateExpression: 'SET #perm = :p',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: { '#perm': 'permissions' },
        ExpressionAttributeValues: { ':p': permissions },
        ReturnValues: 'ALL_NEW',
      }),
      undefined,
    );
    return strip<InspectorLink>(res?.Attributes);
  }

  async deleteLink(teamId: string, userId: string): Promise<InspectorLink | undefined> {
    const res = await this.table.delete({ Key: keys.link(teamId, userId), ReturnValues: 'ALL_OLD' });
    const old = strip<InspectorLink>(res.Attributes);
    if (old) await this.#releaseOwner(old);
    return old;
  }

  async #releaseOwner(link: InspectorLink): Promise<void> {
    // Claimed by another user meanwhile: that claim is theirs, not ours to free.
    await unlessConditionFails(
      this.table.delete({
        Key: keys.linkOwner(link.teamId, link.inspectorId),
        ConditionExpression: 'userId = :u',
        ExpressionAttributeValues: { ':u': link.userId },
      }),
      undefined,
    );
  }
}
