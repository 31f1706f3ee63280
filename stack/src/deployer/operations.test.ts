import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { renderStack } from '../definition/render.js';
import { parseStackSettings } from '../definition/settings.js';
import { adminJob, oneOffJobArgs, restoreJob, type ServiceSpec } from './operations.js';

const STACK = 'taskstack';

// A stack with S3 storage, so the worker holds the backups' key too.
const compose = parse(
  renderStack(
    parseStackSettings({
      domain: 'app.taskstack.test',
      acmeEmail: 'ops@example.com',
      imageTag: 'abc123',
      storage: {
        driver: 's3',
        endpoint: 'https://ams3.digitaloceanspaces.com',
        bucket: 'files',
        backupBucket: 'backups',
      },
    }),
  ),
) as {
  services: Record<string, { image: string; secrets: { source: string; target: string }[] }>;
  secrets: Record<string, { name: string }>;
};

/** The service as `docker service inspect` shows it once the stack is deployed. */
function deployed(service: 'api' | 'worker'): ServiceSpec {
  const { image, secrets } = compose.services[service]!;
  return {
    Spec: {
      TaskTemplate: {
        ContainerSpec: {
          Image: `${image}@sha256:${'0'.repeat(64)}`,
          Secrets: secrets.map(({ source, target }) => ({
            SecretName: compose.secrets[source]!.name,
            File: { Name: target },
          })),
        },
      },
    },
  };
}

const secretTargets = (args: string[]) =>
  args.flatMap((arg, i) => (args[i - 1] === '--secret' ? [arg.replace(/^.*target=/, '')] : [])).sort();

describe('one-off jobs', () => {
  it('give the admin job the api database login and its CA, not the signing keys or the TLS key', () => {
    const api = deployed('api');
    expect(api.Spec.TaskTemplate.ContainerSpec.Secrets!.map((s) => s.File.Name)).toEqual(
      expect.arrayContaining(['jwt_secret', 'api_tls_key', 'data_encryption_key', 'api_redis_url']),
    );
    const args = oneOffJobArgs(STACK, api, adminJob('ops@example.com', 'taskstack_admin_password_1'));
    expect(secretTargets(args)).toEqual(['admin_password', 'api_database_url', 'postgres_ca']);
    expect(args).toContain(`source=${compose.secrets.api_database_url!.name},target=api_database_url`);
    // The job runs the image the service runs, by tag.
    expect(args.slice(-6)).toEqual([
      'taskstack/api:abc123',
      'node',
      'api/dist/cli/admin.js',
      'create',
      '--email',
      'ops@example.com',
    ]);
  });

  it('give the restore job the CA and the backups key, not the worker logins, SMTP or the uploads key', () => {
    const worker = deployed('worker');
    expect(worker.Spec.TaskTemplate.ContainerSpec.Secrets!.map((s) => s.File.Name)).toEqual(
      expect.arrayContaining(['worker_database_url', 'worker_redis_url', 'smtp_url', 's3_secret_access_key']),
    );
    const args = oneOffJobArgs(STACK, worker, restoreJob(['latest.dump'], 'taskstack_database_url_1'));
    expect(secretTargets(args)).toEqual([
      'backup_s3_access_key_id',
      'backup_s3_secret_access_key',
      'owner_database_url',
      'postgres_ca',
    ]);
    expect(args).toContain('source=taskstack_database_url_1,target=owner_database_url');
    expect(args).toContain('DATABASE_URL_FILE=/run/secrets/owner_database_url');
  });
});
