import { describe, expect, it } from 'vitest';
import { auditCsv } from '../../src/qc/audit-csv';
import { AuditExportError, exportAuditCsv } from '../../src/slack/audit-export';
import { useFakeSlack } from '../helpers/fake-slack';

const TOKEN = 'xoxb-export-test';
const env = useFakeSlack({ botToken: TOKEN, users: [{ id: 'U_DEMO', name: 'demo' }] });

const csv = auditCsv([
  {
    teamId: 'T_LOCAL',
    userId: 'U_DEMO',
    inspectorId: '1001',
    agentId: '2005',
    operation: 'intercept',
    outcome: '=1+1',
    latencyMs: 120,
    at: Date.parse('2026-11-25T10:00:00.000Z'),
  },
]);

describe('exportAuditCsv', () => {
  it('sends the CSV as a file in the requester’s DM (files.uploadV2 against the fake)', async () => {
    const dm = String((await env.client.conversations.open({ users: 'U_DEMO' })).channel?.id);
    await exportAuditCsv(env.client, {
      userId: 'U_DEMO',
      channelId: dm,
      csv,
      filename: 'qc-audit-T_LOCAL-2026-11-25.csv',
      title: 'QC audit · today',
      initialComment: 'Your audit export: 1 action.',
    });
    const [file] = env.fake.store.filesIn(dm);
    expect(file).toMatchObject({
      name: 'qc-audit-T_LOCAL-2026-11-25.csv',
      title: 'QC audit · today',
      content: csv,
      channel: dm,
      dmUser: 'U_DEMO',
      initialComment: 'Your audit export: 1 action.',
    });
    expect(env.fake.store.channelMessages(dm)[0]?.files?.[0]?.id).toBe(file?.id);
    expect(env.fake.store.calls.map((c) => c.method)).toEqual([
      'conversations.open',
      'files.getUploadURLExternal',
      'file_upload',
      'files.completeUploadExternal',
    ]);
  });

  it('passes exactly these arguments to uploadV2 (a client typed with Record<string, unknown> fits)', async () => {
    const seen: Record<string, unknown>[] = [];
    const loose: { files: { uploadV2(args: Record<string, unknown>): Promise<unknown> } } = {
      files: {
        uploadV2: async (args) => {
          seen.push(args);
          return { ok: true };
        },
      },
    };
    await exportAuditCsv(loose, {
      userId: 'U1',
      channelId: 'D1',
      csv: 'a\r\n',
      filename: 'a.csv',
      title: 'T',
      initialComment: 'C',
    });
    expect(seen).toEqual([
      { channel_id: 'D1', content: 'a\r\n', filename: 'a.csv', title: 'T', initial_comment: 'C' },
    ]);
  });

  it('explicit errors: no DM, no file name, Slack refusing', async () => {
    const client = { files: { uploadV2: async () => ({ ok: true }) } };
    const base = { userId: 'U1', csv: 'a', filename: 'a.csv', title: 'T', initialComment: 'C' };
    await expect(exportAuditCsv(client, base)).rejects.toBeInstanceOf(AuditExportError);
    await expect(exportAuditCsv(client, { ...base, channelId: 'D1', filename: ' ' })).rejects.toThrow(
      /file name/,
    );
    await expect(
      exportAuditCsv(
        { files: { uploadV2: async () => ({ ok: false, error: 'not_in_channel' }) } },
        { ...base, channelId: 'D1' },
      ),
    ).rejects.toThrow(/not_in_channel/);
    // A DM that was never opened: the WebClient error comes through as is.
    await expect(exportAuditCsv(env.client, { ...base, channelId: 'D_NEVER' })).rejects.toMatchObject({
      data: { error: 'channel_not_found' },
    });
  });
});
