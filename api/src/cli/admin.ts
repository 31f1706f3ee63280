/**
 * `npm run admin -- create --email ADDR [--name NAME]` (in the image: `node api/dist/cli/admin.js create …`;
 * in the stack: `npm run stack -- admin create …`, a one-off job). Makes an instance admin deliberately: signing up
 * never does, not even first on a fresh install. The password comes from ADMIN_PASSWORD(_FILE), a prompt or stdin
 * (read-password.ts), never from the command line. Bad arguments exit 2 with one line naming the argument;
 * failures exit 1 with one line.
 */
import { coreFields, exitOnConfigError, loadConfig } from '@taskstack/config';
import { connectDatabase, probeDatabase, Sql } from '@taskstack/db';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { AccountExistsError, createInstanceAdmin } from '../commands/create-instance-admin.js';
import { emailField, newPasswordField } from '../routes/auth/schema.js';
import { readPassword } from './read-password.js';

const USAGE =
  'usage: npm run admin -- create --email ADDR [--name NAME]   (password: prompt, stdin or ADMIN_PASSWORD)';

function fail(line: string, code: 1 | 2): never {
  process.stderr.write(`admin: ${line}\n`);
  process.exit(code);
}

const argv = process.argv.slice(2);
if (argv.some((arg) => /^--password(=|$)/.test(arg)))
  fail(
    '--password is not accepted: argv shows in process lists and logs; use the prompt, stdin or ADMIN_PASSWORD',
    2,
  );
let parsed;
try {
  parsed = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { email: { type: 'string' }, name: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
} catch (error) {
  fail(`${(error as Error).message.split('\n')[0]}\n${USAGE}`, 2);
}
const { values, positionals } = parsed;
if (values.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
if (positionals[0] !== 'create' || positionals.length > 1)
  fail(`unknown command "${positionals.join(' ')}"; the one command is "create"\n${USAGE}`, 2);
if (values.email === undefined) fail(`--email is required\n${USAGE}`, 2);
const email = emailField.safeParse(values.email);
if (!email.success) fail(`--email must be an email address, got "${values.email}"`, 2);
const name = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .safeParse(values.name ?? 'Administrator');
if (!name.success) fail('--name must be 1 to 100 characters', 2);

const schema = z.object({
  DATABASE_URL: coreFields.DATABASE_URL,
  ADMIN_PASSWORD: z.string().optional(),
});
let config: z.infer<typeof schema>;
try {
  config = loadConfig(schema);
} catch (error) {
  exitOnConfigError(error, 'admin');
}
const password = newPasswordField.safeParse(
  await readPassword(config.ADMIN_PASSWORD, email.data).catch((error: Error) => fail(error.message, 1)),
);
if (!password.success) fail('the password must be 10 to 256 characters', 2);

const problem = await probeDatabase(config.DATABASE_URL);
if (problem) fail(`DATABASE_URL: cannot connect (${problem})`, 1);
const sequelize = connectDatabase(config.DATABASE_URL, { poolMax: 1, applicationName: 'taskstack-admin' });
try {
  const user = await createInstanceAdmin(new Sql(sequelize), {
    email: email.data,
    name: name.data,
    password: password.data,
  });
  process.stdout.write(
    `admin: created instance admin ${user.email} (id ${user.id}); sign in with that password\n`,
  );
} catch (error) {
  if (error instanceof AccountExistsError) fail(`--email: ${error.message}`, 1);
  fail(`failed: ${(error as Error).message.split('\n')[0]}`, 1);
} finally {
  await sequelize.close();
}
