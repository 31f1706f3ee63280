import { expect, it } from 'vitest';
import { runWithMocks, valueOf } from './harness.js';

it('the entry Pulumi runs (package.json main) validates the config and exports the operator outputs', async () => {
  const r = await runWithMocks(
    'prod',
    { imageTag: 'abc123def456' },
    () => import('../../src/pulumi/index.js'),
  );
  expect(r.error).toBeUndefined();
  const exported = r.outputs;
  expect(Object.keys(exported).sort()).toEqual([
    'backupBucket',
    'backupEndpoint',
    'grafana',
    'imageTag',
    'nodes',
    'publicIp',
    'ssh',
    'uploadsBucket',
    'url',
  ]);
  expect(exported.url).toBe('https://app.example.com');
  expect(await valueOf(exported.publicIp)).toBe('198.51.100.77');
  expect(Object.keys(await valueOf(exported.nodes))).toHaveLength(5);
  expect(await valueOf(exported.ssh)).toMatch(/^ssh deploy@203\.0\.113\.\d+$/);
  expect(await valueOf(exported.backupBucket)).toBe('example-taskstack-prod-backups');
  expect(await valueOf(exported.uploadsBucket)).toBe('example-taskstack-prod-uploads');
  expect(r.ofType('digitalocean:index/droplet:Droplet')).toHaveLength(5);
});
