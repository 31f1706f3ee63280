import { adminEmails, finishDrill, startDrill } from '@taskstack/db/repositories';
import { UnrecoverableError, type Job } from 'bullmq';
import { runDrill, type DrillOutcome } from '../pitr/drill.js';
import type { TaskContext } from './context.js';
import { pgbackrestFrom } from './pitr-backup.js';

/**
 * The `pitr-drill` job, nightly: restores a random journalled moment of the last 24 h into a scratch cluster,
 * compares every table with the journal, verifies the repository, and records the result in `restore_drills`.
 * A failed drill sets `worker_pitr_drill_failed` (alert RestoreDrillFailed) and emails the admins; the job itself
 * completes, since the failure is the drill's finding. `settleMs` is a test knob (see DrillOptions).
 */
export function pitrDrillTask(ctx: TaskContext, tuning: { settleMs?: number } = {}) {
  return async (job: Job): Promise<{ drillId: string; passed: boolean; targetTime?: Date }> => {
    const pb = pgbackrestFrom(ctx.config);
    if (!pb)
      throw new UnrecoverableError('PITR_STANZA is not set: there is no point-in-time recovery to drill');
    const id = await startDrill(ctx.db);
    let outcome: DrillOutcome;
    try {
      outcome = await runDrill(pb, ctx.db, {
        scratchDir: ctx.config.PITR_SCRATCH_DIR,
        settleMs: tuning.settleMs,
        progress: (line) => ctx.logger.info({ drillId: id }, line),
      });
    } catch (error) {
      outcome = { problems: [`the drill could not run: ${(error as Error).message}`], details: {} };
    }
    await finishDrill(ctx.db, id, outcome);
    const passed = outcome.problems.length === 0;
    ctx.metrics.drillFailed.set(passed ? 0 : 1);
    ctx.metrics.drillLast.set(Date.now() / 1000);
    const target = outcome.targetTime?.toISOString();
    if (passed) {
      ctx.logger.info({ drillId: id, target, tables: outcome.details.tables }, 'restore drill passed');
    } else {
      ctx.logger.error({ drillId: id, target, problems: outcome.problems }, 'restore drill failed');
      const to = await adminEmails(ctx.db, ctx.config.ADMIN_EMAILS);
      if (to.length > 0)
        await ctx.emails.send(
          'restore-drill-failed',
          { to, target, problems: outcome.problems },
          `restore-drill-failed-${id}-${job.id ?? 'job'}`,
        );
      else ctx.logger.error({ drillId: id }, 'restore drill failed and no instance admin to email');
    }
    return { drillId: id, passed, targetTime: outcome.targetTime };
  };
}
