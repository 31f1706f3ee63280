import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BlockedAddressError, nonPublicRange, resolvePublicAddress } from './address-guard.js';
import { postOnce, SNIPPET_BYTES } from './post.js';

describe('the webhook address guard', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.8.9.10', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'linkLocal'],
    ['100.64.0.1', 'carrierGradeNat'],
    ['0.0.0.0', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fe80::1', 'linkLocal'],
    ['fc00::1', 'uniqueLocal'],
    ['fd12:3456:789a::1', 'uniqueLocal'],
    ['ff02::1', 'multicast'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:10.0.0.1', 'private'],
    ['64:ff9b::a00:1', 'rfc6052'],
  ])('refuses %s (%s)', (address, range) => {
    expect(nonPublicRange(address)).toBe(range);
  });

  it.each(['93.184.216.34', '8.8.8.8', '2606:4700:4700::1111', '::ffff:8.8.8.8'])(
    'lets the public address %s through',
    (address) => {
      expect(nonPublicRange(address)).toBeUndefined();
    },
  );

  it('checks what a name resolves to, unless private networks are allowed', async () => {
    await expect(resolvePublicAddress('localhost', false)).rejects.toThrow(BlockedAddressError);
    await expect(resolvePublicAddress('[::1]', false)).rejects.toThrow(/::1 \(loopback\)/);
    await expect(resolvePublicAddress('93.184.216.34', false)).resolves.toEqual({
      address: '93.184.216.34',
      family: 4,
    });
    await expect(resolvePublicAddress('127.0.0.1', true)).resolves.toEqual({
      address: '127.0.0.1',
      family: 4,
    });
  });
});

describe('posting to a receiver', () => {
  const hits: string[] = [];
  let server: http.Server;
  let base: string;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      hits.push(req.url ?? '');
      if (req.url === '/redirect') res.writeHead(302, { location: '/elsewhere' }).end();
      else if (req.url === '/big') res.end('x'.repeat(100_000));
      else if (req.url === '/slow') setTimeout(() => res.end('late'), 2000);
      else res.end('ok\0done');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://localhost:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    server.closeAllConnections();
    server.close();
  });

  const post = (path: string, allowPrivate = true, timeoutMs = 1000) =>
    postOnce(`${base}${path}`, '{}', {}, { timeoutMs, allowPrivate });

  it('never connects to a refused address', async () => {
    const before = hits.length;
    await expect(post('/blocked', false)).rejects.toThrow(BlockedAddressError);
    expect(hits.length).toBe(before);
  });

  it('does not follow redirects, caps what it reads and keeps NUL out', async () => {
    expect(await post('/redirect')).toEqual({ status: 302, snippet: '' });
    expect(hits).not.toContain('/elsewhere');
    const big = await post('/big');
    expect(big.snippet).toHaveLength(SNIPPET_BYTES);
    expect((await post('/')).snippet).toBe('ok\uFFFDdone');
  });

  it('gives up after its timeout', async () => {
    const started = Date.now();
    await expect(post('/slow', true, 300)).rejects.toThrow(/timed out after 300 ms/);
    expect(Date.now() - started).toBeLessThan(1500);
  });
});
