import { emailJobs, type EmailJobName } from '@taskstack/queues';
import { UnrecoverableError, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { isPermanentSmtpFailure, type Mailer } from '../emails/mailer.js';
import { render } from '../emails/templates.js';

/** How long a sent email's job id is remembered: longer than any retry schedule. */
const SENT_TTL_SECONDS = 30 * 24 * 3600;

/**
 * Handles every job of the emails queue. A job id is the idempotency key: the producer's jobId deduplicates
 * enqueues, and the "sent" marker stops a retry (after a crash between SMTP accepting and the job completing)
 * from sending again. The Message-ID is derived from it too, so receivers can drop a duplicate.
 */
export function sendEmailTask(mailer: Mailer, redis: Redis, prefix: string, mailDomain: string) {
  return async (job: Job): Promise<string> => {
    const schema = emailJobs[job.name as EmailJobName];
    const parsed = schema.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(`invalid ${job.name} payload: ${parsed.error.message}`);
    const marker = `${prefix}:emails:sent:${job.id}`;
    if (await redis.exists(marker)) return 'already sent';
    const email = render(job.name as EmailJobName, parsed.data as never);
    try {
      await mailer.send(parsed.data.to, email, `<${job.id}@${mailDomain}>`);
    } catch (error) {
      if (isPermanentSmtpFailure(error)) {
        throw new UnrecoverableError(`SMTP refused permanently: ${(error as Error).message}`);
      }
      throw error;
    }
    await redis.set(marker, '1', 'EX', SENT_TTL_SECONDS);
    return 'sent';
  };
}
