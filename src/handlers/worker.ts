/** Lambda entry point for the `worker` function (being built: see docs/architecture.md). */
export async function handler(_event: unknown): Promise<{ statusCode: number; body: string }> {
  return { statusCode: 501, body: 'not implemented yet' };
}
