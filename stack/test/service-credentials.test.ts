/**
 * The credentials of each service (deployer/secrets.ts): the api and the worker get Postgres and Redis users of
 * their own, derived one way from the operator's passwords, never the operator's own.
 */
import { createHash, createPrivateKey, X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseStackSettings } from '../src/definition/settings.js';
import { generateSecretInputs, secretValues } from '../src/deployer/secrets.js';

const settings = parseStackSettings({
  domain: 'app.taskstack.test',
  acmeEmail: 'ops@example.com',
  imageTag: 'x',
});
const inputs = generateSecretInputs();
const values = secretValues(settings, inputs);
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('service credentials', () => {
  it('log the api and the worker in to Postgres as their own roles; the owner URL is for migrate and restore', () => {
    const owner = new URL(values.database_url!);
    expect(owner.username).toBe('taskstack');
    expect(decodeURIComponent(owner.password)).toBe(inputs.postgresPassword);
    for (const service of ['api', 'worker'] as const) {
      const url = new URL(values[`${service}_database_url`]!);
      expect(url.username).toBe(`taskstack_${service}`);
      const password = decodeURIComponent(url.password);
      expect(password).toBe(values[`${service}_database_password`]);
      expect(password).not.toBe(inputs.postgresPassword);
      expect(password.length).toBeGreaterThanOrEqual(32);
    }
    expect(values.api_database_password).not.toBe(values.worker_database_password);
    // Every one over TLS, the server's certificate and name checked against the stack's CA (a Docker secret).
    for (const key of ['database_url', 'api_database_url', 'worker_database_url'] as const) {
      const url = new URL(values[key]!);
      expect(url.hostname, key).toBe('postgres');
      expect(Object.fromEntries(url.searchParams), key).toEqual({
        sslmode: 'verify-full',
        sslrootcert: '/run/secrets/postgres_ca',
      });
    }
    // Deterministic: redeploys keep them, and a new operator password rotates them.
    expect(secretValues(settings, inputs)).toEqual(values);
    const rotated = secretValues(settings, { ...inputs, postgresPassword: 'another-operator-password' });
    expect(rotated.api_database_password).not.toBe(values.api_database_password);
  });

  it('give Postgres a key and a certificate for `postgres` that the CA every client trusts has signed', () => {
    const ca = new X509Certificate(values.postgres_ca!);
    const server = new X509Certificate(values.postgres_tls_cert!);
    expect(ca.ca).toBe(true);
    expect(server.ca).toBe(false);
    expect(server.checkIssued(ca) && server.verify(ca.publicKey)).toBe(true);
    expect(server.checkHost('postgres')).toBe('postgres');
    expect(server.checkPrivateKey(createPrivateKey(values.postgres_tls_key!))).toBe(true);
    // Each deployment its own CA.
    expect(generateSecretInputs().postgresCaCertificate).not.toBe(inputs.postgresCaCertificate);
  });

  it('log them in to Redis as their own ACL users, whose hashed passwords the ACL file holds', () => {
    const acl = values.redis_acl!;
    for (const service of ['api', 'worker'] as const) {
      const url = new URL(values[`${service}_redis_url`]!);
      expect(url.username).toBe(service);
      const password = decodeURIComponent(url.password);
      expect(password).not.toBe(inputs.redisPassword);
      expect(acl).toContain(`user ${service} on sanitize-payload #${sha256(password)} `);
      expect(acl).not.toContain(password);
    }
    expect(acl).toContain(`user default on sanitize-payload #${sha256(inputs.redisPassword)} ~* &* +@all`);
  });

  it('give the metrics exporters logins of their own when monitoring is on', () => {
    const monitored = secretValues(
      parseStackSettings({ ...settings, monitoring: true, adminEmails: ['ops@example.com'] }),
      inputs,
    );
    const postgres = monitored.monitor_database_password!;
    const redis = monitored.monitor_redis_password!;
    expect([inputs.postgresPassword, values.api_database_password]).not.toContain(postgres);
    expect([inputs.redisPassword]).not.toContain(redis);
    expect(monitored.redis_acl).toContain(`user monitor on #${sha256(redis)} resetkeys resetchannels -@all`);
    expect(values.monitor_database_password).toBeUndefined();
  });
});
