/**
 * Sends the audit CSV to the person who asked, as a file in their DM with the app. `files.uploadV2`
 * (@slack/web-api) does three calls: files.getUploadURLExternal, a POST of the bytes to the returned
 * upload_url, files.completeUploadExternal (which shares the file in `channel_id`). Bot scope: files:write.
 */

export class AuditExportError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AuditExportError';
  }
}

/** What exportAuditCsv passes to `files.uploadV2`. */
export type CsvUploadArgs = {
  channel_id: string;
  content: string;
  filename: string;
  title: string;
  initial_comment: string;
};

/**
 * A WebClient, or anything with a `files.uploadV2` taking at least these arguments (an
 * `uploadV2(args: Record<string, unknown>)` fits too). Typed by the arguments rather than by
 * Record<string, unknown> so that a real WebClient is assignable without a cast.
 */
export type FileUploadClient = {
  files: { uploadV2: (args: CsvUploadArgs) => Promise<unknown> };
};

export async function exportAuditCsv(
  client: FileUploadClient,
  a: {
    userId: string;
    channelId?: string;
    csv: string;
    filename: string;
    title: string;
    initialComment: string;
  },
): Promise<void> {
  if (!a.channelId) {
    throw new AuditExportError(
      `no DM channel to send the audit export to ${a.userId}: open it first (conversations.open) and pass its id`,
    );
  }
  if (!a.filename.trim()) throw new AuditExportError('the audit export needs a file name');
  const result = await client.files.uploadV2({
    channel_id: a.channelId,
    content: a.csv,
    filename: a.filename,
    title: a.title,
    initial_comment: a.initialComment,
  });
  if (typeof result === 'object' && result !== null && (result as { ok?: unknown }).ok === false) {
    const error = (result as { error?: unknown }).error;
    throw new AuditExportError(`Slack did not take the audit export: ${String(error ?? 'unknown error')}`);
  }
}
