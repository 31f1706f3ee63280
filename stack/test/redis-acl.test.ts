/**
 * The api's and the worker's Redis users (src/definition/redis-acl.ts) on a real Redis: what the app does through
 * them works — BullMQ queues and workers, rate limits, the event stream and its channel — and the dangerous
 * commands are refused. Each run makes its own user and key prefix on the shared test Redis.
 */
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { randomBytes } from 'node:crypto';
import { RateLimiterRedis } from 'rate-limiter-flexible';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRedisRules, monitorRedisRules, renderRedisAcl } from '../src/definition/redis-acl.js';

const prefix = `t${randomBytes(5).toString('hex')}`;
const user = `api_${prefix}`;
const password = randomBytes(16).toString('hex');
const serverUrl = process.env.TEST_REDIS_URL!;
const admin = new Redis(serverUrl);
let app: Redis;

const urlOf = (name: string, secret: string) => {
  const url = new URL(serverUrl);
  url.username = name;
  url.password = secret;
  return url.toString();
};
/** The error code Redis answers `args` with for the app user ('OK' when it runs). */
const tryCommand = (...args: string[]) =>
  app.call(args[0]!, ...args.slice(1)).then(
    () => 'OK',
    (error: Error) => error.message.split(' ')[0],
  );

beforeAll(async () => {
  await admin.call('ACL', 'SETUSER', user, 'reset', 'on', `>${password}`, ...appRedisRules(prefix));
  app = new Redis(urlOf(user, password), { maxRetriesPerRequest: null });
});
afterAll(async () => {
  app.disconnect();
  await admin.call('ACL', 'DELUSER', user);
  const leftovers = await admin.keys(`${prefix}:*`);
  if (leftovers.length) await admin.del(...leftovers);
  admin.disconnect();
});

describe('Redis users of the app services', () => {
  it('refuse the dangerous commands and keys outside the prefix', async () => {
    // Asked with ACL DRYRUN first, so a rule that let one through fails the test instead of shutting the shared
    // test Redis down.
    const dangerous = [
      ['FLUSHALL'],
      ['FLUSHDB'],
      ['CONFIG', 'GET', 'dir'],
      ['CONFIG', 'SET', 'dir', '/tmp'],
      ['DEBUG', 'SLEEP', '0'],
      ['KEYS', '*'],
      ['ACL', 'LIST'],
      ['SHUTDOWN'],
      ['MONITOR'],
      ['CLIENT', 'KILL', 'ID', '1'],
      ['CLIENT', 'LIST'],
      ['REPLICAOF', 'NO', 'ONE'],
      ['SAVE'],
      ['MODULE', 'LIST'],
    ];
    for (const command of dangerous)
      expect(String(await admin.call('ACL', 'DRYRUN', user, ...command)), command.join(' ')).toMatch(
        /no permissions/,
      );
    expect(await tryCommand('FLUSHALL')).toBe('NOPERM');
    expect(await tryCommand('CONFIG', 'SET', 'dir', '/tmp')).toBe('NOPERM');
    expect(await tryCommand('KEYS', '*')).toBe('NOPERM');
    expect(await tryCommand('SET', 'elsewhere:key', 'x')).toBe('NOPERM');
    expect(await tryCommand('EVAL', "return redis.call('GET', KEYS[1])", '1', 'elsewhere:key')).toBe(
      'NOPERM',
    );
    expect(await tryCommand('SET', `${prefix}:key`, 'x')).toBe('OK');
    expect(await tryCommand('INFO', 'server')).toBe('OK');
  });

  it('run BullMQ queues and workers, rate limits, and the event stream with its channel', async () => {
    const queue = new Queue('emails', { connection: app, prefix });
    const processed: string[] = [];
    const worker = new Worker(
      'emails',
      async (job) => {
        processed.push(job.name);
        return 'sent';
      },
      { connection: app.duplicate(), prefix },
    );
    const job = await queue.add('welcome', { to: 'a@example.com' }, { jobId: 'welcome-1' });
    await expect
      .poll(async () => (await queue.getJob(job.id!))?.returnvalue, { timeout: 10_000 })
      .toBe('sent');
    expect(processed).toEqual(['welcome']);
    expect(await queue.getJobCounts()).toMatchObject({ completed: 1 });
    await worker.close();
    await queue.close();

    const limiter = new RateLimiterRedis({
      storeClient: app,
      keyPrefix: `${prefix}:rl:login`,
      points: 2,
      duration: 60,
    });
    await limiter.consume('1.2.3.4');
    await limiter.consume('1.2.3.4');
    await expect(limiter.consume('1.2.3.4')).rejects.toMatchObject({ remainingPoints: 0 });

    const subscriber = app.duplicate();
    const received = new Promise<string>((resolve) =>
      subscriber.on('message', (_channel, message) => resolve(message)),
    );
    await subscriber.subscribe(`${prefix}:events`);
    await app.eval(
      "redis.call('XADD', KEYS[1], '*', 'type', ARGV[2]); return redis.call('PUBLISH', ARGV[1], ARGV[2])",
      1,
      `${prefix}:events:workspace`,
      `${prefix}:events`,
      'task.created',
    );
    expect(await received).toBe('task.created');
    subscriber.disconnect();
    expect(await tryCommand('SUBSCRIBE', 'elsewhere')).toBe('NOPERM');
  });

  it("are in the ACL file with hashed passwords, next to the operator's default user", () => {
    const acl = renderRedisAcl('taskstack', {
      default: 'd'.repeat(20),
      api: 'a'.repeat(20),
      worker: 'w'.repeat(20),
      monitor: 'm'.repeat(20),
    });
    const lines = acl.trim().split('\n');
    expect(lines.map((line) => line.split(' ')[1])).toEqual(['default', 'api', 'worker', 'monitor']);
    expect(acl).not.toContain('m'.repeat(20));
    expect(acl).not.toContain('a'.repeat(20));
    expect(lines[1]).toContain('~taskstack:* resetchannels &taskstack:* -@all +@all -@dangerous +info');
  });

  it("let the metrics exporter's user read the server's state and no key, channel or setting change", async () => {
    const monitor = `monitor_${prefix}`;
    await admin.call('ACL', 'SETUSER', monitor, 'reset', 'on', `>${password}`, ...monitorRedisRules);
    const exporter = new Redis(urlOf(monitor, password));
    try {
      // What redis_exporter scrapes.
      expect(await exporter.info('all')).toMatch(/redis_version/);
      expect(await exporter.call('CONFIG', 'GET', 'maxmemory')).toEqual(['maxmemory', expect.any(String)]);
      expect(await exporter.call('SLOWLOG', 'LEN')).toEqual(expect.any(Number));
      await exporter.call('SLOWLOG', 'GET', '10');
      await exporter.call('LATENCY', 'LATEST');
      const refused = [
        ['GET', `${prefix}:key`],
        ['SCAN', '0'],
        ['SET', 'x', '1'],
        ['CONFIG', 'SET', 'dir', '/tmp'],
        ['FLUSHALL'],
        ['CLIENT', 'LIST'],
        ['ACL', 'LIST'],
        ['SUBSCRIBE', `${prefix}:events`],
        ['EVAL', 'return 1', '0'],
      ];
      for (const command of refused)
        expect(String(await admin.call('ACL', 'DRYRUN', monitor, ...command)), command.join(' ')).toMatch(
          /no permissions/,
        );
    } finally {
      exporter.disconnect();
      await admin.call('ACL', 'DELUSER', monitor);
    }
  });
});
