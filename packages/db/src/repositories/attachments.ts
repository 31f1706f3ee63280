import { rowsOf, type Queryable } from '../sql.js';
import { taskChildAccess, type MemberAccess, type TaskRef } from './access.js';

/** An attachment as the API reads it; `storageKey` names its file in storage and never leaves the API. */
export type AttachmentRecord = {
  id: string;
  taskId: string;
  uploadedById: string | null;
  filename: string;
  contentType: string;
  size: number;
  storageKey: string;
  createdAt: Date;
};

const COLUMNS =
  'a.id, a.task_id, a.uploaded_by_id, a.filename, a.content_type, a.size, a.storage_key, a.created_at';

const attachmentFromRow = (row: Record<string, unknown>): AttachmentRecord => ({
  id: row.id as string,
  taskId: row.task_id as string,
  uploadedById: row.uploaded_by_id as string | null,
  filename: row.filename as string,
  contentType: row.content_type as string,
  // bigint arrives as text; files are far below 2^53 bytes.
  size: Number(row.size),
  storageKey: row.storage_key as string,
  createdAt: row.created_at as Date,
});

/** A task's attachments, oldest first. */
export async function findAttachments(db: Queryable, taskId: string): Promise<AttachmentRecord[]> {
  const rows = await rowsOf(
    db,
    `SELECT ${COLUMNS} FROM attachments a WHERE a.task_id = $1 ORDER BY a.created_at, a.id`,
    [taskId],
  );
  return rows.map(attachmentFromRow);
}

/**
 * An attachment with its task and the caller's role in the task's workspace (null when not a member), in one
 * statement; undefined when there is no such attachment.
 */
export async function attachmentAccess(
  db: Queryable,
  attachmentId: string,
  userId: string,
): Promise<(MemberAccess & { attachment: AttachmentRecord; task: TaskRef }) | undefined> {
  const found = await taskChildAccess(
    db,
    { table: 'attachments', alias: 'a', columns: COLUMNS },
    attachmentId,
    userId,
  );
  if (!found) return undefined;
  const { row, ...access } = found;
  return { attachment: attachmentFromRow(row), ...access };
}

export type NewAttachment = {
  task: TaskRef;
  uploadedById: string;
  filename: string;
  contentType: string;
  size: number;
  storageKey: string;
};

/**
 * Records a stored file and its `attachment.added` activity in one statement, so both are written or neither
 * without a transaction held open while the file streams in.
 */
export async function insertAttachment(db: Queryable, file: NewAttachment): Promise<AttachmentRecord> {
  const { task } = file;
  const activity = { taskId: task.id, filename: file.filename, size: file.size };
  const [row] = await rowsOf(
    db,
    `WITH a AS (
      INSERT INTO attachments (task_id, uploaded_by_id, filename, content_type, size, storage_key)
      VALUES ($1, $2, $3, $4, $5, $6) RETURNING *
    ), activity AS (
      INSERT INTO activity_events (workspace_id, project_id, actor_id, verb, subject_type, subject_id, data)
      SELECT $7, $8, $2, 'attachment.added', 'attachment', a.id, $9::jsonb FROM a
    )
    SELECT ${COLUMNS} FROM a`,
    [
      task.id,
      file.uploadedById,
      file.filename,
      file.contentType,
      file.size,
      file.storageKey,
      task.workspaceId,
      task.projectId,
      JSON.stringify(activity),
    ],
  );
  return attachmentFromRow(row!);
}

/** Deletes an attachment's row; false when it was already gone. */
export async function deleteAttachmentRow(db: Queryable, attachmentId: string): Promise<boolean> {
  const rows = await rowsOf(db, `DELETE FROM attachments WHERE id = $1 RETURNING id`, [attachmentId]);
  return rows.length > 0;
}
