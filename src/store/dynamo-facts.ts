import { type RecordTable, strip } from './dynamo-util';
import { keys } from './keys';
import type { GatewayFactsStore, GatewayFallback } from './types';

/** What qc-slack learned about its gateway (`GATEWAY` / `FALLBACKS`): fallback → when first needed. */
export class DynamoGatewayFactsStore implements GatewayFactsStore {
  constructor(private readonly table: RecordTable) {}

  async noteGatewayFallback(fallback: GatewayFallback, at: number): Promise<void> {
    await this.table.update({
      Key: keys.gatewayFallbacks(),
      // The first time it was needed is kept: later notes change nothing.
      UpdateExpression: 'SET #f = if_not_exists(#f, :at)',
      ExpressionAttributeNames: { '#f': fallback },
      ExpressionAttributeValues: { ':at': at },
    });
  }

  async getGatewayFallbacks(): Promise<Partial<Record<GatewayFallback, number>>> {
    const res = await this.table.get({ Key: keys.gatewayFallbacks() });
    const item = strip<Record<string, unknown>>(res.Item) ?? {};
    return 'no-handshake' in item ? { 'no-handshake': Number(item['no-handshake']) } : {};
  }
}
