import { randomUUID } from 'node:crypto';
import { sealedKeyId, sealedWithPattern, type DataKeyring } from '../data-keyring.js';
import { raw, rowsOf, run, sql, type Queryable, type Row } from '../sql.js';
import { createdAtAfter } from './keyset.js';

export type WebhookRecord = {
  id: string;
  workspaceId: string;
  url: string;
  description: string;
  events: string[];
  active: boolean;
  disabledReason: string | null;
  consecutiveFailures: number;
  createdAt: Date;
  updatedAt: Date;
};

export type DeliveryTrigger = 'event' | 'replay' | 'ping';
export type DeliveryStatus = 'pending' | 'retrying' | 'succeeded' | 'failed';

export type DeliveryRecord = {
  id: string;
  webhookId: string;
  eventId: string;
  eventType: string;
  trigger: DeliveryTrigger;
  body: string;
  status: DeliveryStatus;
  attempts: number;
  responseStatus: number | null;
  responseSnippet: string | null;
  durationMs: number | null;
  error: string | null;
  createdAt: Date;
  lastAttemptAt: Date | null;
  completedAt: Date | null;
};

// The secret is never among these: only the worker reads it, through `deliveryToSend`, and opens it.
const WEBHOOK_COLUMNS = `w.id, w.workspace_id, w.url, w.description, w.events, w.active, w.disabled_reason,
  w.consecutive_failures, w.created_at, w.updated_at`;

const webhookFromRow = (row: Row): WebhookRecord => ({
  id: row.id as string,
  workspaceId: row.workspace_id as string,
  url: row.url as string,
  description: row.description as string,
  events: row.events as string[],
  active: row.active as boolean,
  disabledReason: row.disabled_reason as string | null,
  consecutiveFailures: row.consecutive_failures as number,
  createdAt: row.created_at as Date,
  updatedAt: row.updated_at as Date,
});

const DELIVERY_COLUMNS = `d.id, d.webhook_id, d.event_id, d.event_type, d.trigger, d.body, d.status, d.attempts,
  d.response_status, d.response_snippet, d.duration_ms, d.error, d.created_at, d.last_attempt_at, d.completed_at,
  d.created_at::text AS cursor_time`;

const deliveryFromRow = (row: Row): DeliveryRecord => ({
  id: row.id as string,
  webhookId: row.webhook_id as string,
  eventId: row.event_id as string,
  eventType: row.event_type as string,
  trigger: row.trigger as DeliveryTrigger,
  body: row.body as string,
  status: row.status as DeliveryStatus,
  attempts: row.attempts as number,
  responseStatus: row.response_status as number | null,
  responseSnippet: row.response_snippet as string | null,
  durationMs: row.duration_ms as number | null,
  error: row.error as string | null,
  createdAt: row.created_at as Date,
  lastAttemptAt: row.last_attempt_at as Date | null,
  completedAt: row.completed_at as Date | null,
});

/** A workspace's webhooks, oldest first. */
export async function findWebhooks(db: Queryable, workspaceId: string): Promise<WebhookRecord[]> {
  const rows = await rowsOf(
    db,
    `SELECT ${WEBHOOK_COLUMNS} FROM webhooks w WHERE w.workspace_id = $1 ORDER BY w.created_at, w.id`,
    [workspaceId],
  );
  return rows.map(webhookFromRow);
}

/** A webhook of the workspace, or undefined (another workspace's id is as unknown as a made-up one). */
export async function findWebhook(db: Queryable, workspaceId: string, webhookId: string) {
  const [row] = await rowsOf(
    db,
    `SELECT ${WEBHOOK_COLUMNS} FROM webhooks w WHERE w.id = $1 AND w.workspace_id = $2`,
    [webhookId, workspaceId],
  );
  return row && webhookFromRow(row);
}

export async function countWebhooks(db: Queryable, workspaceId: string): Promise<number> {
  const [row] = await rowsOf<{ n: number }>(
    db,
    `SELECT count(*)::int AS n FROM webhooks WHERE workspace_id = $1`,
    [workspaceId],
  );
  return row!.n;
}

/**
 * Whether an event of `type` in the workspace would reach any webhook (active and subscribed to it), so its
 * publisher can skip the fan-out job in the many workspaces without one. The worker's publisher asks on every event;
 * the API remembers `webhookEventTypes` per workspace instead, forgetting on every announced change.
 */
export async function hasWebhookFor(db: Queryable, workspaceId: string, type: string): Promise<boolean> {
  const [row] = await rowsOf<{ found: boolean }>(
    db,
    `SELECT EXISTS (SELECT 1 FROM webhooks WHERE workspace_id = $1 AND active AND $2 = ANY (events)) AS found`,
    [workspaceId, type],
  );
  return row!.found;
}

/** The event types some active webhook of the workspace subscribes to (the API remembers them per workspace). */
export async function webhookEventTypes(db: Queryable, workspaceId: string): Promise<string[]> {
  const rows = await rowsOf<{ type: string }>(
    db,
    `SELECT DISTINCT unnest(events) AS type FROM webhooks WHERE workspace_id = $1 AND active`,
    [workspaceId],
  );
  return rows.map((row) => row.type);
}

/**
 * What a webhook's signing secret is sealed for (the associated data of its encryption): a sealed secret moved onto
 * another webhook's row does not open there.
 */
const secretContext = (webhookId: string) => `webhooks.secret:${webhookId}`;

/** The signing secret as the worker signs with it, from the sealed value `deliveryToSend` read. */
export const openWebhookSecret = (keyring: DataKeyring, webhookId: string, sealed: string) =>
  keyring.open(sealed, secretContext(webhookId));

/** Adds a webhook; its secret is stored sealed with the keyring's current key (the column holds no plain text). */
export async function insertWebhook(
  db: Queryable,
  keyring: DataKeyring,
  webhook: Pick<WebhookRecord, 'workspaceId' | 'url' | 'description' | 'events'> & {
    secret: string;
    createdBy: string | null;
  },
): Promise<WebhookRecord> {
  const id = randomUUID();
  const [row] = await rowsOf(
    db,
    `INSERT INTO webhooks AS w (id, workspace_id, url, description, events, secret, created_by)
      VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${WEBHOOK_COLUMNS}`,
    [
      id,
      webhook.workspaceId,
      webhook.url,
      webhook.description,
      webhook.events,
      keyring.seal(webhook.secret, secretContext(id)),
      webhook.createdBy,
    ],
  );
  return webhookFromRow(row!);
}

/**
 * Changes what is given (the rest keeps its value). Turning a webhook on clears its failure count and the reason
 * it was off; an admin turning it off records that as the reason.
 */
export async function updateWebhook(
  db: Queryable,
  webhookId: string,
  change: Partial<Pick<WebhookRecord, 'url' | 'description' | 'events' | 'active'>>,
): Promise<WebhookRecord | undefined> {
  const [row] = await rowsOf(
    db,
    `UPDATE webhooks AS w SET url = COALESCE($2, w.url), description = COALESCE($3, w.description),
        events = COALESCE($4, w.events), active = COALESCE($5, w.active),
        consecutive_failures = CASE WHEN $5 AND NOT w.active THEN 0 ELSE w.consecutive_failures END,
        disabled_reason = CASE WHEN $5 THEN NULL
          WHEN $5 = false AND w.active THEN 'Turned off by an admin.' ELSE w.disabled_reason END,
        updated_at = now()
      WHERE w.id = $1 RETURNING ${WEBHOOK_COLUMNS}`,
    [webhookId, change.url ?? null, change.description ?? null, change.events ?? null, change.active ?? null],
  );
  return row && webhookFromRow(row);
}

/** Replaces the signing secret (sealed); deliveries from now on are signed with the new one. */
export async function setWebhookSecret(
  db: Queryable,
  keyring: DataKeyring,
  webhookId: string,
  secret: string,
): Promise<void> {
  await db.query(`UPDATE webhooks SET secret = $2, updated_at = now() WHERE id = $1`, [
    webhookId,
    keyring.seal(secret, secretContext(webhookId)),
  ]);
}

/**
 * Seals every signing secret not yet sealed with the keyring's current key: plain ones from before encryption, and
 * those of an older key after a rotation. Run by the api and the worker at start-up; each row is replaced only if it
 * still holds what was read, so processes starting together do not clash. Returns how many were re-sealed and the
 * ids of the keys that rows are sealed with but the keyring lacks (those stay as they are).
 */
export async function resealWebhookSecrets(
  db: Queryable,
  keyring: DataKeyring,
): Promise<{ resealed: number; missingKeys: Map<string, number>; unopened: string[] }> {
  const rows = await rowsOf<{ id: string; secret: string }>(
    db,
    `SELECT id, secret FROM webhooks WHERE secret NOT LIKE $1`,
    [sealedWithPattern(keyring.currentKeyId)],
  );
  let resealed = 0;
  const missingKeys = new Map<string, number>();
  const unopened: string[] = [];
  for (const row of rows) {
    const keyId = sealedKeyId(row.secret);
    if (keyId !== undefined && !keyring.holds(keyId)) {
      missingKeys.set(keyId, (missingKeys.get(keyId) ?? 0) + 1);
      continue;
    }
    const context = secretContext(row.id);
    const plain = keyId === undefined ? row.secret : keyring.tryOpen(row.secret, context);
    if (plain === undefined) {
      unopened.push(row.id);
      continue;
    }
    const result = await db.query(`UPDATE webhooks SET secret = $3 WHERE id = $1 AND secret = $2`, [
      row.id,
      row.secret,
      keyring.seal(plain, context),
    ]);
    resealed += result.rowCount ?? 0;
  }
  return { resealed, missingKeys, unopened };
}

export async function deleteWebhook(db: Queryable, webhookId: string): Promise<void> {
  await db.query(`DELETE FROM webhooks WHERE id = $1`, [webhookId]);
}

/** One page (plus one row) of a webhook's deliveries, newest first. */
export async function findDeliveries(
  db: Queryable,
  webhookId: string,
  options: { cursor: [string, string] | undefined; limit: number },
): Promise<{ delivery: DeliveryRecord; cursorKey: string[] }[]> {
  const rows = await run(
    db,
    sql`SELECT ${raw(DELIVERY_COLUMNS)} FROM webhook_deliveries d
      WHERE d.webhook_id = ${webhookId} AND ${createdAtAfter('d', options.cursor, 'DESC')}
      ORDER BY d.created_at DESC, d.id DESC LIMIT ${options.limit + 1}`,
  );
  return rows.map((row) => ({
    delivery: deliveryFromRow(row),
    cursorKey: [row.cursor_time as string, row.id as string],
  }));
}

export async function findDelivery(db: Queryable, webhookId: string, deliveryId: string) {
  const [row] = await rowsOf(
    db,
    `SELECT ${DELIVERY_COLUMNS} FROM webhook_deliveries d WHERE d.id = $1 AND d.webhook_id = $2`,
    [deliveryId, webhookId],
  );
  return row && deliveryFromRow(row);
}

/** A delivery an admin asked for (a replay of an earlier one, or a ping), pending until the worker sends it. */
export async function insertDelivery(
  db: Queryable,
  delivery: Pick<DeliveryRecord, 'webhookId' | 'eventId' | 'eventType' | 'trigger' | 'body'>,
): Promise<DeliveryRecord> {
  const [row] = await rowsOf(
    db,
    `INSERT INTO webhook_deliveries AS d (webhook_id, event_id, event_type, trigger, body)
      VALUES ($1, $2, $3, $4, $5) RETURNING ${DELIVERY_COLUMNS}`,
    [delivery.webhookId, delivery.eventId, delivery.eventType, delivery.trigger, delivery.body],
  );
  return deliveryFromRow(row!);
}

/**
 * The fan-out of one event: a pending delivery for every active webhook of the workspace subscribed to its type,
 * in one statement. Idempotent: a retried fan-out finds the rows it wrote before and returns them again, so their
 * jobs can be enqueued (again; job ids deduplicate) without a second delivery row.
 */
export async function insertEventDeliveries(
  db: Queryable,
  event: { workspaceId: string; id: string; type: string; body: string },
): Promise<{ id: string; status: DeliveryStatus }[]> {
  return rowsOf(
    db,
    `INSERT INTO webhook_deliveries (webhook_id, event_id, event_type, trigger, body)
      SELECT w.id, $2, $3, 'event', $4 FROM webhooks w
        WHERE w.workspace_id = $1 AND w.active AND $3 = ANY (w.events)
      ON CONFLICT (webhook_id, event_id) WHERE trigger = 'event' DO UPDATE SET event_id = EXCLUDED.event_id
      RETURNING id, status`,
    [event.workspaceId, event.id, event.type, event.body],
  );
}

/** What the worker needs to send a delivery: the row, and its webhook's address, sealed secret and state. */
export async function deliveryToSend(db: Queryable, deliveryId: string) {
  const [row] = await rowsOf(
    db,
    `SELECT ${DELIVERY_COLUMNS}, w.workspace_id, w.url, w.secret, w.active
      FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id WHERE d.id = $1`,
    [deliveryId],
  );
  if (!row) return undefined;
  return {
    delivery: deliveryFromRow(row),
    webhook: {
      id: row.webhook_id as string,
      workspaceId: row.workspace_id as string,
      url: row.url as string,
      sealedSecret: row.secret as string,
      active: row.active as boolean,
    },
  };
}

/** Records one attempt's outcome on the delivery; `status` says whether more attempts follow. */
export async function recordDeliveryAttempt(
  db: Queryable,
  deliveryId: string,
  attempt: {
    status: DeliveryStatus;
    attempts: number;
    responseStatus: number | null;
    responseSnippet: string | null;
    durationMs: number | null;
    error: string | null;
  },
): Promise<void> {
  await db.query(
    `UPDATE webhook_deliveries SET status = $2, attempts = $3, response_status = $4, response_snippet = $5,
        duration_ms = $6, error = $7, last_attempt_at = now(),
        completed_at = CASE WHEN $2 IN ('succeeded', 'failed') THEN now() END
      WHERE id = $1`,
    [
      deliveryId,
      attempt.status,
      attempt.attempts,
      attempt.responseStatus,
      attempt.responseSnippet,
      attempt.durationMs,
      attempt.error,
    ],
  );
}

/** A delivery got through: the webhook's run of failures is over. */
export async function resetWebhookFailures(db: Queryable, webhookId: string): Promise<void> {
  await db.query(`UPDATE webhooks SET consecutive_failures = 0 WHERE id = $1 AND consecutive_failures <> 0`, [
    webhookId,
  ]);
}

/**
 * A delivery failed for good: one more in the webhook's run of failures, and at `threshold` the webhook is turned
 * off with `reason`. `disabledNow` is true only for the failure that turned it off, so admins are told once.
 */
export async function countWebhookFailure(
  db: Queryable,
  webhookId: string,
  threshold: number,
  reason: string,
): Promise<{ disabledNow: boolean; failures: number } | undefined> {
  const [row] = await rowsOf<{ disabled_now: boolean; failures: number }>(
    db,
    `WITH before AS (SELECT id, active FROM webhooks WHERE id = $1 FOR UPDATE)
     UPDATE webhooks w SET consecutive_failures = w.consecutive_failures + 1,
        active = w.active AND w.consecutive_failures + 1 < $2,
        disabled_reason = CASE WHEN w.active AND w.consecutive_failures + 1 >= $2 THEN $3 ELSE w.disabled_reason END,
        updated_at = now()
      FROM before WHERE w.id = before.id
      RETURNING before.active AND NOT w.active AS disabled_now, w.consecutive_failures AS failures`,
    [webhookId, threshold, reason],
  );
  return row && { disabledNow: row.disabled_now, failures: row.failures };
}

/** Drops finished deliveries older than `days` (the log is for recent trouble); returns how many. */
export async function pruneDeliveries(db: Queryable, days: number): Promise<number> {
  const result = await db.query(
    `DELETE FROM webhook_deliveries
      WHERE created_at < now() - make_interval(days => $1) AND status IN ('succeeded', 'failed')`,
    [days],
  );
  return result.rowCount ?? 0;
}
