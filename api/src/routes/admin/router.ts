import { deleteTotp, latestBackups, recoveryStatus, usersPage } from '@taskstack/db/repositories';
import { backupJobs, QUEUES } from '@taskstack/queues';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { conflict, notFound } from '../../errors.js';
import { createdAtCursor, pageOf, toPage } from '../../pagination.js';
import { requireInstanceAdmin } from '../../policies/instance-admin.js';
import { backupOutput, presentBackup } from '../../presenters/backup.js';
import { presentRecovery, recoveryOutput } from '../../presenters/recovery.js';
import { adminUserSchema, presentAdminUser } from '../../presenters/user.js';
import { defineRoutes, type RouteGroup } from '../define.js';
import { backupJobOutput, queuesOutput, userParams, usersQuery } from './schema.js';

/** The admin page shows recent history; older records stay in the table. */
const BACKUPS_SHOWN = 100;

/** Instance administration: backups, point-in-time recovery, queues and accounts. */
export function adminRoutes(ctx: AppContext): RouteGroup {
  const { routes, route } = defineRoutes(ctx);
  const admin = { tags: ['admin'], guard: requireInstanceAdmin(ctx) };
  const forbidden = { 403: { description: 'Not an instance administrator' } };

  route(
    {
      ...admin,
      method: 'get',
      path: '/admin/backups',
      summary: `The latest ${BACKUPS_SHOWN} backups, newest first`,
      responses: { 200: { description: 'Backups', schema: z.array(backupOutput) }, ...forbidden },
    },
    async () => (await latestBackups(ctx.sql, BACKUPS_SHOWN)).map(presentBackup),
  );

  route(
    {
      ...admin,
      method: 'post',
      path: '/admin/backups',
      summary: 'Run a backup now (the worker takes it from the backups queue)',
      responses: { 202: { description: 'Enqueued', schema: backupJobOutput }, ...forbidden },
    },
    async () => {
      const jobId = `manual-${randomUUID()}`;
      await ctx.queues[QUEUES.backups]!.add('backup', backupJobs.backup.parse({ reason: 'manual' }), {
        jobId,
      });
      return { jobId };
    },
  );

  route(
    {
      ...admin,
      method: 'get',
      path: '/admin/recovery',
      summary: 'Point-in-time recovery: recovery point, restorable window and the last restore drill',
      responses: { 200: { description: 'Recovery status', schema: recoveryOutput }, ...forbidden },
    },
    async () => presentRecovery(await recoveryStatus(ctx.sql)),
  );

  route(
    {
      ...admin,
      method: 'post',
      path: '/admin/recovery/drills',
      summary:
        'Run a restore drill now, as the nightly one does (the worker takes it from the backups queue)',
      responses: {
        202: { description: 'Enqueued', schema: backupJobOutput },
        ...forbidden,
        409: { description: 'Point-in-time recovery is off: the database server archives no WAL' },
      },
    },
    async () => {
      // Checked here, not left to the worker: a drill that can only fail would read as a broken recovery.
      if (!(await recoveryStatus(ctx.sql)).archiving) {
        throw conflict('Point-in-time recovery is off: the database server archives no WAL to restore from.');
      }
      const jobId = `manual-drill-${randomUUID()}`;
      await ctx.queues[QUEUES.backups]!.add('pitr-drill', backupJobs['pitr-drill'].parse({}), { jobId });
      return { jobId };
    },
  );

  route(
    {
      ...admin,
      method: 'get',
      path: '/admin/queues',
      summary: 'Job counts per queue',
      responses: { 200: { description: 'Counts by queue name', schema: queuesOutput }, ...forbidden },
    },
    async () => {
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
      return Object.fromEntries(entries);
    },
  );

  route(
    {
      ...admin,
      method: 'get',
      path: '/admin/users',
      summary: 'Every account, oldest first',
      request: { query: usersQuery },
      responses: { 200: { description: 'A page of users', schema: pageOf(adminUserSchema) }, ...forbidden },
    },
    async ({ query }) => {
      const rows = await usersPage(ctx.sql, createdAtCursor(query.cursor), query.limit + 1);
      return toPage(
        rows,
        query.limit,
        (row) => [row.cursorAt, row.id],
        (row) => presentAdminUser(row, ctx.config),
      );
    },
  );

  route(
    {
      ...admin,
      method: 'post',
      path: '/admin/users/:id/totp-reset',
      summary: "Turn off a user's two-factor sign-in (lost device); they sign in with their password again",
      description:
        'Deletes their authenticator secret and recovery codes. Workspaces that require two-factor refuse them ' +
        'until they set it up again.',
      request: { params: userParams },
      responses: {
        204: { description: 'Reset' },
        404: { description: 'No such user, or two-factor sign-in is not on' },
        ...forbidden,
      },
    },
    async ({ params, user, req }) => {
      if (!(await deleteTotp(ctx.sql, params.id))) throw notFound('Two-factor setup');
      req.log.info({ adminId: user.id, userId: params.id }, 'two-factor sign-in reset by an instance admin');
    },
  );

  return routes;
}
