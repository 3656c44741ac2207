import { describe, expect, it } from 'vitest';
import { MAX_UPLOAD_BYTES } from '../../local/slack-api/files';
import { renderMessage, type StoreChange } from '../../local/slack-api/index';
import { errorOf, TWO_CHANNEL_WORKSPACE, useFakeSlack } from '../helpers/fake-slack';

const TOKEN = 'xoxb-fake-token';
const env = useFakeSlack({ botToken: TOKEN, ...TWO_CHANNEL_WORKSPACE });

/** A Web API call as a form (WebClient's encoding) or JSON, with the bot token. */
async function api(method: string, params: Record<string, string | number>, json = false) {
  const res = await fetch(`${env.fake.apiUrl}${method}`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${TOKEN}`,
      'content-type': json ? 'application/json' : 'application/x-www-form-urlencoded',
    },
    body: json
      ? JSON.stringify(params)
      : new URLSearchParams(
          Object.entries(params).map(([k, v]): [string, string] => [k, String(v)]),
        ).toString(),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as Record<string, unknown> & { ok: boolean; error?: string };
}

/** Steps 1 and 2 of an upload: returns the file id. */
async function uploaded(filename: string, content: string | Buffer): Promise<string> {
  const bytes = typeof content === 'string' ? Buffer.from(content) : content;
  const got = await api('files.getUploadURLExternal', { filename, length: bytes.length });
  expect(got).toMatchObject({ ok: true });
  const res = await fetch(String(got.upload_url), { method: 'POST', body: bytes });
  expect(res.status).toBe(200);
  return String(got.file_id);
}

const dmOf = async (user: string) => {
  const open = await env.client.conversations.open({ users: user });
  return String(open.channel?.id);
};

describe('files.uploadV2 from a real WebClient', () => {
  it('a CSV sent to a DM: three calls, the file in store.files, a message with the file in the DM', async () => {
    const dm = await dmOf('U_DEMO');
    const csv = 'time_utc,user\r\n2026-11-25T10:00:00.000Z,U_DEMO\r\n"a, b",é\r\n';
    const res = await env.client.files.uploadV2({
      channel_id: dm,
      content: csv,
      filename: 'audit.csv',
      title: 'QC audit',
      initial_comment: 'Your audit export',
    });
    expect(res.ok).toBe(true);
    expect(env.fake.store.calls.map((c) => `${c.method}:${c.ok}`)).toEqual([
      'conversations.open:true',
      'files.getUploadURLExternal:true',
      'file_upload:true',
      'files.completeUploadExternal:true',
    ]);
    // WebClient posts the bytes as multipart/form-data.
    expect(env.fake.store.callsOf('file_upload')[0]?.args).toMatchObject({
      encoding: 'multipart',
      bytes: Buffer.byteLength(csv),
    });
    expect(env.fake.store.files).toHaveLength(1);
    const [file] = env.fake.store.files;
    expect(file).toMatchObject({
      name: 'audit.csv',
      title: 'QC audit',
      content: csv,
      size: Buffer.byteLength(csv),
      mimetype: 'text/csv',
      filetype: 'csv',
      user: 'U_QCBOT',
      channel: dm,
      channels: [dm],
      dmUser: 'U_DEMO',
      initialComment: 'Your audit export',
    });
    expect(file?.id).toMatch(/^F/);
    const [message] = env.fake.store.channelMessages(dm);
    expect(message).toMatchObject({
      ts: file?.messageTs,
      text: 'Your audit export',
      files: [{ id: file?.id, name: 'audit.csv', title: 'QC audit' }],
    });
    expect(env.fake.store.filesIn(dm)).toEqual([file]);
    expect(renderMessage(message ?? {})).toBe('Your audit export\n📎 QC audit (audit.csv)');
    // WebClient returns each completeUploadExternal answer.
    const completions = (res as unknown as { files: { files: { id: string; name: string }[] }[] }).files;
    expect(completions[0]?.files[0]).toMatchObject({ id: file?.id, name: 'audit.csv', ims: [dm] });
  });

  it('binary bytes (a Buffer) arrive unchanged; the title defaults to the file name', async () => {
    const bytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    await env.client.files.uploadV2({ channel_id: 'C_QC', file: bytes, filename: 'all-bytes.bin' });
    const [file] = env.fake.store.files;
    expect(file?.bytes.equals(bytes)).toBe(true);
    expect(file).toMatchObject({ title: 'all-bytes.bin', mimetype: 'application/octet-stream', size: 256 });
    expect(env.fake.store.channelMessages('C_QC')[0]?.files).toHaveLength(1);
  });

  it('several files in one call: one message with all of them', async () => {
    await env.client.files.uploadV2({
      channel_id: 'C_QC',
      initial_comment: 'two files',
      file_uploads: [
        { content: 'a', filename: 'a.txt' },
        { content: 'bb', filename: 'b.txt' },
      ],
    });
    expect(env.fake.store.files.map((f) => f.content)).toEqual(['a', 'bb']);
    const messages = env.fake.store.channelMessages('C_QC');
    expect(messages).toHaveLength(1);
    expect(messages[0]?.files?.map((f) => f.name)).toEqual(['a.txt', 'b.txt']);
  });

  it('as a thread reply: thread_ts is kept, the message is a reply', async () => {
    const parent = await env.client.chat.postMessage({ channel: 'C_QC', text: 'parent' });
    await env.client.files.uploadV2({
      channel_id: 'C_QC',
      thread_ts: String(parent.ts),
      content: 'x',
      filename: 'x.txt',
    });
    expect(env.fake.store.thread('C_QC', String(parent.ts))[0]?.files?.[0]?.name).toBe('x.txt');
    expect(env.fake.store.files[0]?.threadTs).toBe(parent.ts);
  });

  it('a DM that was never opened, a channel without the bot: channel_not_found, not_in_channel', async () => {
    expect(
      await errorOf(env.client.files.uploadV2({ channel_id: 'D_NOBODY', content: 'x', filename: 'x.txt' })),
    ).toBe('channel_not_found');
    expect(
      await errorOf(env.client.files.uploadV2({ channel_id: 'C_OUT', content: 'x', filename: 'x.txt' })),
    ).toBe('not_in_channel');
    expect(env.fake.store.files).toHaveLength(0);
  });

  it('failNext on a step makes uploadV2 fail', async () => {
    env.fake.failNext('files.completeUploadExternal', 'internal_error');
    expect(
      await errorOf(env.client.files.uploadV2({ channel_id: 'C_QC', content: 'x', filename: 'x.txt' })),
    ).toBe('internal_error');
    env.fake.failNext('file_upload', 'boom');
    await expect(
      env.client.files.uploadV2({ channel_id: 'C_QC', content: 'x', filename: 'x.txt' }),
    ).rejects.toThrow();
    expect(env.fake.store.files).toHaveLength(0);
  });

  it('waitFor and the change feed see the file', async () => {
    const kinds: StoreChange['kind'][] = [];
    const off = env.fake.store.on('change', (c) => kinds.push(c.kind));
    const waiting = env.fake.store.waitFor((s) => s.files.find((f) => f.name === 'late.csv'));
    await env.client.files.uploadV2({ channel_id: 'C_QC', content: 'a,b\r\n', filename: 'late.csv' });
    expect((await waiting).content).toBe('a,b\r\n');
    off();
    expect(kinds).toContain('file');
    expect(kinds.indexOf('message')).toBeLessThan(kinds.indexOf('file'));
  });
});

describe('files.getUploadURLExternal', () => {
  it('answers an upload_url on this server and an F… file id', async () => {
    const got = await api('files.getUploadURLExternal', { filename: 'a.csv', length: 3 });
    expect(got.ok).toBe(true);
    expect(String(got.upload_url)).toMatch(new RegExp(`^${env.fake.url}/upload/[0-9a-f]{32}$`));
    expect(got.file_id).toMatch(/^F[0-9A-Z]+$/);
  });

  it('checks the token, filename and length as Slack does', async () => {
    const anon = await fetch(`${env.fake.apiUrl}files.getUploadURLExternal`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'filename=a.csv&length=3',
    });
    expect(await anon.json()).toEqual({ ok: false, error: 'not_authed' });
    expect(await api('files.getUploadURLExternal', { length: 3 })).toMatchObject({
      ok: false,
      error: 'invalid_arguments',
      response_metadata: { messages: ['[ERROR] missing required field: filename'] },
    });
    expect(await api('files.getUploadURLExternal', { filename: 'a.csv' })).toMatchObject({
      error: 'invalid_arguments',
      response_metadata: { messages: ['[ERROR] missing required field: length'] },
    });
    for (const length of ['three', '-1', '1.5']) {
      expect((await api('files.getUploadURLExternal', { filename: 'a.csv', length })).error).toBe(
        'invalid_arguments',
      );
    }
    expect((await api('files.getUploadURLExternal', { filename: 'a.csv', length: 0 })).error).toBe(
      'missing_argument',
    );
    expect(
      (await api('files.getUploadURLExternal', { filename: 'a.csv', length: MAX_UPLOAD_BYTES + 1 })).error,
    ).toBe('file_upload_size_restricted');
    expect(
      (await api('files.getUploadURLExternal', { filename: 'a.png', length: 3, alt_txt: 'x'.repeat(1001) }))
        .error,
    ).toBe('alt_txt_too_large');
  });

  it('takes its arguments from a form only: a JSON body is invalid_arguments', async () => {
    expect(await api('files.getUploadURLExternal', { filename: 'a.csv', length: 3 }, true)).toMatchObject({
      ok: false,
      error: 'invalid_arguments',
    });
  });
});

describe('the upload_url', () => {
  it('takes raw bytes or multipart/form-data, needs no token, answers OK - <bytes>', async () => {
    const raw = await api('files.getUploadURLExternal', { filename: 'raw.txt', length: 5 });
    const r1 = await fetch(String(raw.upload_url), { method: 'POST', body: 'hello' });
    expect([r1.status, await r1.text()]).toEqual([200, 'OK - 5']);

    const form = await api('files.getUploadURLExternal', { filename: 'form.txt', length: 4 });
    const body = new FormData();
    body.append('token', 'ignored');
    body.append('filename', new Blob([Buffer.from('a\r\nb')]), 'form.txt');
    const r2 = await fetch(String(form.upload_url), { method: 'POST', body });
    expect([r2.status, await r2.text()]).toEqual([200, 'OK - 4']);

    await api('files.completeUploadExternal', {
      files: JSON.stringify([{ id: raw.file_id }, { id: form.file_id, title: 'Form' }]),
      channel_id: 'C_QC',
    });
    expect(env.fake.store.files.map((f) => [f.content, f.title])).toEqual([
      ['hello', 'raw.txt'],
      ['a\r\nb', 'Form'],
    ]);
    expect(env.fake.store.callsOf('file_upload').map((c) => c.args.bytes)).toEqual([5, 4]);
  });

  it('refuses an unknown url, the wrong length, a broken form, a GET', async () => {
    expect((await fetch(`${env.fake.url}/upload/nope`, { method: 'POST', body: 'x' })).status).toBe(404);
    const got = await api('files.getUploadURLExternal', { filename: 'a.txt', length: 3 });
    const url = String(got.upload_url);
    const wrong = await fetch(url, { method: 'POST', body: 'four' });
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toMatch(/^length_mismatch/);
    const broken = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'multipart/form-data; boundary=xyz' },
      body: '--xyz\r\nno end',
    });
    expect([broken.status, await broken.text()]).toEqual([400, 'invalid_multipart']);
    expect((await fetch(url)).status).toBe(405);
    // Still usable afterwards.
    expect((await fetch(url, { method: 'POST', body: 'abc' })).status).toBe(200);
  });

  it('is dead once the upload is completed', async () => {
    const got = await api('files.getUploadURLExternal', { filename: 'b.txt', length: 1 });
    expect((await fetch(String(got.upload_url), { method: 'POST', body: 'b' })).status).toBe(200);
    const done = await api('files.completeUploadExternal', {
      files: JSON.stringify([{ id: got.file_id }]),
      channel_id: 'C_QC',
    });
    expect(done.ok).toBe(true);
    expect((await fetch(String(got.upload_url), { method: 'POST', body: 'b' })).status).toBe(404);
  });
});

describe('files.completeUploadExternal', () => {
  it('unknown id, nothing uploaded, completed twice: file_not_found', async () => {
    const complete = (id: string) =>
      api('files.completeUploadExternal', { files: JSON.stringify([{ id }]), channel_id: 'C_QC' });
    expect((await complete('F_UNKNOWN')).error).toBe('file_not_found');
    const empty = await api('files.getUploadURLExternal', { filename: 'a.txt', length: 1 });
    expect((await complete(String(empty.file_id))).error).toBe('file_not_found');
    const id = await uploaded('b.txt', 'b');
    expect((await complete(id)).ok).toBe(true);
    expect((await complete(id)).error).toBe('file_not_found');
    expect(env.fake.store.files).toHaveLength(1);
  });

  it('files must be a non-empty array of {id, title?}', async () => {
    for (const files of [
      undefined,
      'not json',
      '[]',
      '[{"title":"x"}]',
      '{"id":"F1"}',
      '[{"id":"F1","title":3}]',
    ]) {
      const res = await api(
        'files.completeUploadExternal',
        files === undefined ? { channel_id: 'C_QC' } : { files, channel_id: 'C_QC' },
      );
      expect(res.error, String(files)).toBe('invalid_arguments');
    }
  });

  it('JSON bodies are fine here (files as an array)', async () => {
    const id = await uploaded('j.txt', 'j');
    const res = await api('files.completeUploadExternal', { channel_id: 'C_QC' } as never, true);
    expect(res.error).toBe('invalid_arguments');
    const ok = await fetch(`${env.fake.apiUrl}files.completeUploadExternal`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ files: [{ id, title: 'J' }], channel_id: 'C_QC' }),
    });
    expect(await ok.json()).toMatchObject({ ok: true, files: [{ id, title: 'J', channels: ['C_QC'] }] });
  });

  it('with no channel the file stays private: stored, no message', async () => {
    const id = await uploaded('p.txt', 'p');
    expect((await api('files.completeUploadExternal', { files: JSON.stringify([{ id }]) })).ok).toBe(true);
    expect(env.fake.store.files[0]).toMatchObject({ id, channels: [] });
    expect(env.fake.store.files[0]?.channel).toBeUndefined();
    expect(env.fake.store.messages).toHaveLength(0);
  });

  it('channels takes user ids (their DM) and channel ids; not together with channel_id', async () => {
    const id = await uploaded('u.txt', 'u');
    expect(
      (
        await api('files.completeUploadExternal', {
          files: JSON.stringify([{ id }]),
          channel_id: 'C_QC',
          channels: 'U_DEMO',
        })
      ).error,
    ).toBe('invalid_arguments');
    const res = await api('files.completeUploadExternal', {
      files: JSON.stringify([{ id }]),
      channels: 'U_ADMIN,C_QC',
    });
    expect(res.ok).toBe(true);
    expect(env.fake.store.files[0]).toMatchObject({ channels: ['D_ADMIN', 'C_QC'], dmUser: 'U_ADMIN' });
    expect(env.fake.store.channelMessages('D_ADMIN')).toHaveLength(1);
    expect(env.fake.store.channelMessages('C_QC')).toHaveLength(1);
  });

  it('validates blocks unless there is an initial_comment (then they are ignored)', async () => {
    const bad = JSON.stringify([{ type: 'section', text: { type: 'mrkdwn', text: 'x'.repeat(3001) } }]);
    const a = await uploaded('a.txt', 'a');
    expect(
      (
        await api('files.completeUploadExternal', {
          files: JSON.stringify([{ id: a }]),
          channel_id: 'C_QC',
          blocks: bad,
        })
      ).error,
    ).toBe('invalid_blocks');
    const res = await api('files.completeUploadExternal', {
      files: JSON.stringify([{ id: a }]),
      channel_id: 'C_QC',
      blocks: bad,
      initial_comment: 'hi',
    });
    expect(res.ok).toBe(true);
    expect(env.fake.store.channelMessages('C_QC')[0]).toMatchObject({ text: 'hi' });
    expect(env.fake.store.channelMessages('C_QC')[0]?.blocks).toBeUndefined();
  });

  it('/_local/files lists the files without their raw bytes', async () => {
    await env.client.files.uploadV2({ channel_id: 'C_QC', content: 'a,b\r\n', filename: 'l.csv' });
    const list = (await (await fetch(`${env.fake.url}/_local/files?channel=C_QC`)).json()) as Record<
      string,
      unknown
    >[];
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ name: 'l.csv', content: 'a,b\r\n', channel: 'C_QC' });
    expect(list[0]).not.toHaveProperty('bytes');
    expect(await (await fetch(`${env.fake.url}/_local/files?channel=C_OTHER`)).json()).toEqual([]);
  });

  it('reset() forgets the files', async () => {
    await uploaded('r.txt', 'r');
    await env.client.files.uploadV2({ channel_id: 'C_QC', content: 'r', filename: 'r.txt' });
    expect(env.fake.store.files).toHaveLength(1);
    env.fake.store.reset();
    expect(env.fake.store.files).toHaveLength(0);
  });
});
