import { workerConfigFields } from '../config.js';
import { describePlan, parseTarget, planRestore, restoreToMoment } from '../pitr/restore-to-moment.js';
import { pgbackrestFrom } from '../tasks/pitr-backup.js';
import { fail, failRestore, restoreConfig, say } from './output.js';

/**
 * `restore --to <moment | latest> [--dry-run]`: plans (and unless a dry run, performs) a point-in-time restore
 * from the server's pgBackRest repository. Needs only DATABASE_URL and PITR_* settings.
 */
export async function restoreToMomentCli(to: string, dryRun: boolean): Promise<void> {
  const config = restoreConfig(
    workerConfigFields.pick({
      DATABASE_URL: true,
      DATABASE_APP_ROLES: true,
      PITR_STANZA: true,
      PITR_RETENTION_DAYS: true,
      PITR_SCRATCH_DIR: true,
    }),
  );
  const pb = pgbackrestFrom(config);
  if (!pb)
    fail('PITR_STANZA is not set: this server does not archive WAL, so there is no moment to restore to');
  try {
    const target = parseTarget(to);
    if (dryRun) {
      say(`dry run: would ${describePlan(await planRestore(pb, target))}`);
      return;
    }
    const started = Date.now();
    const result = await restoreToMoment(pb, target, {
      scratchDir: config.PITR_SCRATCH_DIR,
      appRoles: config.DATABASE_APP_ROLES,
      progress: say,
    });
    say(
      `done in ${((Date.now() - started) / 1000).toFixed(1)} s: ${result.database} holds the data of ${to}`,
    );
    say(`the previous data is kept as database ${result.previous}; drop it once satisfied`);
  } catch (error) {
    failRestore(error);
  }
}
