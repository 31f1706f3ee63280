/**
 * The credentials of each service (deployer/secrets.ts): the api and the worker get Postgres and Redis users of
 * their own, derived one way from the operator's passwords, never the operator's own.
 */
import { createHash, createPrivateKey, X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MONITORING_SERVERS, monitoringTlsSecrets } from '../src/definition/secrets.js';
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

  it.each(['postgres', 'redis', 'api'] as const)(
    'give %s a key and a certificate for its name that the CA every client trusts has signed',
    (host) => {
      const ca = new X509Certificate(values[`${host}_ca`]!);
      const server = new X509Certificate(values[`${host}_tls_cert`]!);
      expect(ca.ca).toBe(true);
      expect(server.ca).toBe(false);
      expect(server.checkIssued(ca) && server.verify(ca.publicKey)).toBe(true);
      expect(server.checkHost(host)).toBe(host);
      expect(server.checkPrivateKey(createPrivateKey(values[`${host}_tls_key`]!))).toBe(true);
      // Each deployment its own CA, and each server its own.
      expect(generateSecretInputs()[`${host}CaCertificate`]).not.toBe(inputs[`${host}CaCertificate`]);
      expect(new Set([values.postgres_ca, values.redis_ca, values.api_ca]).size).toBe(3);
    },
  );

  it('give each monitoring server its own key and a certificate for its name alone from the one monitoring CA', () => {
    const monitored = secretValues(
      parseStackSettings({ ...settings, monitoring: true, adminEmails: ['ops@example.com'] }),
      inputs,
    );
    const ca = new X509Certificate(monitored.monitoring_ca!);
    expect(ca.ca).toBe(true);
    expect(ca.subject).toBe('CN=taskstack monitoring CA');
    const keys = new Set<string>();
    for (const server of MONITORING_SERVERS) {
      const { key, cert } = monitoringTlsSecrets(server);
      const certificate = new X509Certificate(monitored[cert]!);
      expect(certificate.ca, server).toBe(false);
      expect(certificate.checkIssued(ca) && certificate.verify(ca.publicKey), server).toBe(true);
      // Its own name and no other: a server's key cannot pass for another monitoring server.
      expect(certificate.subjectAltName, server).toBe(`DNS:${server}`);
      expect(certificate.checkHost(server), server).toBe(server);
      expect(certificate.checkPrivateKey(createPrivateKey(monitored[key]!)), server).toBe(true);
      keys.add(monitored[key]!);
    }
    expect(keys.size).toBe(MONITORING_SERVERS.length);
    // A CA apart from the others, each deployment its own; none of it without monitoring.
    expect([values.postgres_ca, values.redis_ca, values.api_ca]).not.toContain(monitored.monitoring_ca);
    expect(generateSecretInputs().monitoringTls.caCertificate).not.toBe(inputs.monitoringTls.caCertificate);
    expect(
      Object.keys(values).filter((key) => key.startsWith('monitoring') || key.includes('exporter')),
    ).toEqual([]);
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
      // Over TLS, the server's certificate and name checked against Redis's CA (a Docker secret).
      expect(url.protocol).toBe('rediss:');
      expect(url.host).toBe('redis:6379');
      expect(Object.fromEntries(url.searchParams)).toEqual({ cacert: '/run/secrets/redis_ca' });
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
