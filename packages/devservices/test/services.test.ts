import nodemailer from 'nodemailer';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { SmtpSink, startPostgres, startRedis } from '../src/index.js';

describe('throw-away PostgreSQL', () => {
  it('starts on a free port, answers queries, and leaves nothing behind when stopped', async () => {
    const server = await startPostgres();
    const client = new pg.Client({ connectionString: server.url });
    await client.connect();
    const { rows } = await client.query<{ version: string; dir: string }>(
      `SELECT version(), current_setting('data_directory') AS dir`,
    );
    await client.end();
    expect(rows[0]!.version).toMatch(/^PostgreSQL \d+/);
    await server.stop();
    expect(existsSync(rows[0]!.dir)).toBe(false);
    await expect(new pg.Client({ connectionString: server.url }).connect()).rejects.toThrow(/ECONNREFUSED/);
  });
});

describe('throw-away Redis with TLS', () => {
  it('answers over TLS verified against its CA, and not in plain text', async () => {
    const server = await startRedis({ tls: true });
    try {
      const url = new URL(server.url);
      expect(url.protocol).toBe('rediss:');
      expect(url.searchParams.get('cacert')).toBe(server.caFile);
      const cli = (...args: string[]) =>
        spawnSync('redis-cli', ['-h', url.hostname, '-p', url.port, ...args, 'PING'], { encoding: 'utf8' });
      expect(cli('--tls', '--cacert', server.caFile!).stdout.trim()).toBe('PONG');
      expect(cli().stdout.trim()).not.toBe('PONG');
    } finally {
      await server.stop();
    }
  });
});

describe('SMTP sink', () => {
  it('keeps what it receives and refuses by policy with the given code', async () => {
    const sink = await SmtpSink.start();
    const transport = nodemailer.createTransport({ url: sink.url } as never);
    await transport.sendMail({
      from: 'a@example.com',
      to: 'b@example.com',
      subject: 'Hello',
      text: 'Hi there',
    });
    expect(await sink.waitFor((m) => m.subject === 'Hello')).toMatchObject({
      to: ['b@example.com'],
      text: 'Hi there\n',
    });

    sink.policy = () => ({ code: 550, message: 'mailbox unavailable' });
    const refused = transport.sendMail({
      from: 'a@example.com',
      to: 'c@example.com',
      subject: 'No',
      text: 'x',
    });
    await expect(refused).rejects.toMatchObject({ responseCode: 550 });
    expect(sink.messages).toHaveLength(1);
    transport.close();
    await sink.close();
  });
});
