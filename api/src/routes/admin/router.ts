import { Backup, User } from '@taskstack/db';
import { recoveryStatus } from '@taskstack/db/repositories';
import { backupJobs, QUEUES } from '@taskstack/queues';
import { Router } from 'express';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { authenticate } from '../../middlewares/authenticate.js';
import { validate } from '../../middlewares/validate.js';
import { jsonResponse } from '../../openapi/json.js';
import { documentRoute } from '../../openapi/registry.js';
import { decodeCursor, pageOf, timestampPart, toPage, uuidPart } from '../../pagination.js';
import { requireInstanceAdmin } from '../../policies/instance-admin.js';
import { backupOutput, presentBackup } from '../../presenters/backup.js';
import { presentRecovery, recoveryOutput } from '../../presenters/recovery.js';
import { presentUser, userSchema } from '../../presenters/user.js';
import { backupJobOutput, queuesOutput, usersQuery } from './schema.js';

/** The admin page shows recent history; older records stay in the table. */
const BACKUPS_SHOWN = 100;

const tags = ['admin'];
const forbiddenDoc = { 403: { description: 'Not an instance administrator' } };
documentRoute({
  method: 'get',
  path: '/admin/backups',
  tags,
  summary: `The latest ${BACKUPS_SHOWN} backups, newest first`,
  responses: { 200: jsonResponse('Backups', z.array(backupOutput)), ...forbiddenDoc },
});
documentRoute({
  method: 'post',
  path: '/admin/backups',
  tags,
  summary: 'Run a backup now (the worker takes it from the backups queue)',
  responses: { 202: jsonResponse('Enqueued', backupJobOutput), ...forbiddenDoc },
});
documentRoute({
  method: 'get',
  path: '/admin/recovery',
  tags,
  summary: 'Point-in-time recovery: recovery point, restorable window and the last restore drill',
  responses: { 200: jsonResponse('Recovery status', recoveryOutput), ...forbiddenDoc },
});
documentRoute({
  method: 'get',
  path: '/admin/queues',
  tags,
  summary: 'Job counts per queue',
  responses: { 200: jsonResponse('Counts by queue name', queuesOutput), ...forbiddenDoc },
});
documentRoute({
  method: 'get',
  path: '/admin/users',
  tags,
  summary: 'Every account, oldest first',
  request: { query: usersQuery },
  responses: { 200: jsonResponse('A page of users', pageOf(userSchema)), ...forbiddenDoc },
});

type UserRow = User & { cursorAt: string };

/** Instance administration: backups, point-in-time recovery, queues and accounts. */
export function adminRouter(ctx: AppContext): Router {
  const router = Router();
  router.use('/admin', authenticate(ctx), requireInstanceAdmin(ctx));

  router.get(
    '/admin/backups',
    validate({})(async (_req, res) => {
      const backups = await Backup.findAll({
        order: [
          ['startedAt', 'DESC'],
          ['id', 'DESC'],
        ],
        limit: BACKUPS_SHOWN,
      });
      res.json(backups.map(presentBackup));
    }),
  );

  router.post(
    '/admin/backups',
    validate({})(async (_req, res) => {
      const jobId = `manual-${randomUUID()}`;
      await ctx.queues[QUEUES.backups]!.add('backup', backupJobs.backup.parse({ reason: 'manual' }), {
        jobId,
      });
      res.status(202).json({ jobId });
    }),
  );

  router.get(
    '/admin/recovery',
    validate({})(async (_req, res) => {
      res.json(presentRecovery(await recoveryStatus(ctx.sql)));
    }),
  );

  router.get(
    '/admin/queues',
    validate({})(async (_req, res) => {
      const entries = await Promise.all(
        Object.entries(ctx.queues).map(async ([name, queue]) => {
          const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed');
          return [
            name,
            {
              waiting: counts.waiting ?? 0,
              active: counts.active ?? 0,
              delayed: counts.delayed ?? 0,
              failed: counts.failed ?? 0,
              completed: counts.completed ?? 0,
            },
          ] as const;
        }),
      );
      res.json(Object.fromEntries(entries));
    }),
  );

  router.get(
    '/admin/users',
    validate({ query: usersQuery })(async (_req, res, { query }) => {
      const after = query.cursor ? decodeCursor(query.cursor, [timestampPart, uuidPart]) : undefined;
      // The cursor keeps created_at as Postgres prints it: JavaScript dates would drop the microseconds.
      const rows = await ctx.sequelize.query(
        `SELECT *, CAST(created_at AS text) AS "cursorAt" FROM users
         ${after ? 'WHERE (created_at, id) > (CAST(:at AS timestamptz), CAST(:id AS uuid))' : ''}
         ORDER BY created_at, id LIMIT :limit`,
        {
          model: User,
          mapToModel: true,
          replacements: { at: after?.[0] ?? null, id: after?.[1] ?? null, limit: query.limit + 1 },
        },
      );
      res.json(
        toPage(
          rows as UserRow[],
          query.limit,
          (row) => [String(row.get('cursorAt')), row.id],
          (row) => presentUser(row, ctx.config),
        ),
      );
    }),
  );

  return router;
}
