import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError, coreFields, emailList, loadConfig, port } from '../src/index.js';

const schema = z.object({
  DATABASE_URL: coreFields.DATABASE_URL,
  REDIS_URL: coreFields.REDIS_URL,
  PORT: port(3000),
  ADMIN_EMAILS: emailList,
});

function problems(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(schema, env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('loadConfig', () => {
  it('parses a valid environment with defaults', () => {
    const config = loadConfig(schema, {
      DATABASE_URL: 'postgres://u@h/db',
      REDIS_URL: 'redis://h:6379',
      ADMIN_EMAILS: 'A@x.io, b@y.io',
    });
    expect(config).toEqual({
      DATABASE_URL: 'postgres://u@h/db',
      REDIS_URL: 'redis://h:6379',
      PORT: 3000,
      ADMIN_EMAILS: ['a@x.io', 'b@y.io'],
    });
  });

  it('reports every bad variable at once, one line each, naming it', () => {
    const lines = problems({ DATABASE_URL: 'redis://h', PORT: '99999', ADMIN_EMAILS: 'not-an-email' });
    expect(lines).toHaveLength(4);
    expect(lines.map((l) => l.split(':')[0]).sort()).toEqual([
      'ADMIN_EMAILS',
      'DATABASE_URL',
      'PORT',
      'REDIS_URL',
    ]);
    expect(lines.find((l) => l.startsWith('REDIS_URL'))).toBe('REDIS_URL: is required');
  });

  it('reads a secret from NAME_FILE, as Docker secrets provide it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cfg-'));
    writeFileSync(join(dir, 'db'), 'postgres://secret@h/db\n');
    const config = loadConfig(schema, { DATABASE_URL_FILE: join(dir, 'db'), REDIS_URL: 'redis://h' });
    expect(config.DATABASE_URL).toBe('postgres://secret@h/db');
  });

  it('names the _FILE variable when the file cannot be read', () => {
    expect(problems({ DATABASE_URL_FILE: '/nonexistent/secret', REDIS_URL: 'redis://h' })).toEqual([
      'DATABASE_URL_FILE: cannot read /nonexistent/secret (ENOENT)',
      'DATABASE_URL: is required',
    ]);
  });
});
