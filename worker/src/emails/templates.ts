import type { EmailJobData, EmailJobName } from '@taskstack/queues';
import { compose, type RenderedEmail } from './layout.js';

type Templates = { [N in EmailJobName]: (data: EmailJobData<N>) => RenderedEmail };

/** One template per email job; a job name without a template fails the type check, not a user's inbox. */
export const templates: Templates = {
  welcome: (d) =>
    compose(
      d.verifyUrl ? 'Confirm your email address for taskstack' : 'Welcome to taskstack',
      d.verifyUrl
        ? [
            { paragraph: `Hi ${d.name}, welcome to taskstack.` },
            { paragraph: 'Please confirm that this is your email address:' },
            { link: d.verifyUrl, label: 'Confirm email address' },
            { paragraph: 'If you did not create an account, ignore this email.' },
          ]
        : [{ paragraph: `Hi ${d.name}, welcome to taskstack. Your account is ready.` }],
    ),
  'password-reset': (d) =>
    compose('Reset your taskstack password', [
      { paragraph: `Hi ${d.name}, someone asked to reset the password of your taskstack account.` },
      { link: d.resetUrl, label: 'Choose a new password' },
      { paragraph: 'The link works once and expires in one hour. If it was not you, ignore this email.' },
    ]),
  invitation: (d) =>
    compose(`${d.inviterName} invited you to ${d.workspaceName} on taskstack`, [
      { paragraph: `${d.inviterName} invited you to join the workspace "${d.workspaceName}" as ${d.role}.` },
      { link: d.acceptUrl, label: 'Accept the invitation' },
    ]),
  'task-assigned': (d) =>
    compose(`${d.taskRef} ${d.taskTitle} was assigned to you`, [
      { paragraph: `Hi ${d.name}, ${d.assignerName} assigned ${d.taskRef} "${d.taskTitle}" to you.` },
      { link: d.taskUrl, label: 'Open the task' },
    ]),
  'due-reminder': (d) =>
    compose(`Due soon: ${d.taskRef} ${d.taskTitle}`, [
      { paragraph: `Hi ${d.name}, ${d.taskRef} "${d.taskTitle}" is due ${d.dueAt}.` },
      { link: d.taskUrl, label: 'Open the task' },
    ]),
  'inbox-item': (d) =>
    compose(d.headline, [
      { paragraph: `Hi ${d.name}, ${d.headline}.` },
      ...(d.excerpt ? [{ paragraph: d.excerpt }] : []),
      { link: d.taskUrl, label: 'Open the task' },
      { paragraph: 'Change how often taskstack emails you in your account settings.' },
    ]),
  'inbox-digest': (d) =>
    compose(`Your taskstack digest: ${d.items.length} unread`, [
      { paragraph: `Hi ${d.name}, here is what concerned you since the last digest.` },
      ...d.items.flatMap((item) => [
        { paragraph: item.excerpt ? `${item.headline}: ${item.excerpt}` : item.headline },
        { link: item.taskUrl, label: 'Open the task' },
      ]),
      { paragraph: 'Change how often taskstack emails you in your account settings.' },
    ]),
  'backup-failed': (d) =>
    compose('taskstack backup FAILED', [
      { paragraph: `The database backup ${d.file} failed:` },
      { paragraph: d.error },
      { paragraph: 'The previous backups are kept. See the worker logs and GET /api/v1/admin/backups.' },
    ]),
  'webhook-disabled': (d) =>
    compose(`A webhook of ${d.workspaceName} was turned off`, [
      { paragraph: `The webhook to ${d.url} in the workspace "${d.workspaceName}" was turned off:` },
      { paragraph: d.reason },
      { paragraph: 'Its delivery log shows what the receiver answered. Turn it back on once it is fixed.' },
      { link: d.settingsUrl, label: 'Open the webhooks' },
    ]),
  'restore-drill-failed': (d) =>
    compose('taskstack restore drill FAILED', [
      {
        paragraph: d.target
          ? `Tonight's restore drill restored the database as it was at ${d.target} and found:`
          : `Tonight's restore drill could not restore the database:`,
      },
      ...d.problems.map((problem) => ({ paragraph: problem })),
      {
        paragraph:
          'The live database was not touched. Until a drill passes, do not count on a point-in-time restore: see ' +
          'docs/runbooks/alerts.md#restoredrillfailed and GET /api/v1/admin/recovery.',
      },
    ]),
};

/** Renders the template of `name`; the payload was validated against the job's schema first. */
export function render<N extends EmailJobName>(name: N, data: EmailJobData<N>): RenderedEmail {
  return (templates[name] as (d: EmailJobData<N>) => RenderedEmail)(data);
}
