/** Adds the monitoring part of the stack definition to a stack already deployed without it. */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { renderAlertmanagerConfig, renderMonitoring } from '../../../stack/src/definition/monitoring.js';
import { renderStack } from '../../../stack/src/definition/render.js';
import type { StackSettings } from '../../../stack/src/definition/settings.js';
import { docker } from './helpers.js';

/**
 * `renderMonitoring`'s services deployed into the same stack (same networks, the stack's existing secrets, a new
 * Alertmanager secret for `smtpUrl`), Grafana left out: its image needs a registry. Until render.ts merges the
 * monitoring part itself, this is how the tests run it on a real swarm.
 */
export function deployMonitoring(
  settings: StackSettings,
  smtpUrl: string,
  dir: string,
  secretName: (key: string) => string,
): void {
  const withMonitoring = { ...settings, monitoring: true };
  const part = renderMonitoring(withMonitoring, { grafana: false });
  const alertmanagerSecret = `${settings.name}_alertmanager_yml_${Date.now().toString(36)}`;
  const created = spawnSync('docker', ['secret', 'create', alertmanagerSecret, '-'], {
    input: renderAlertmanagerConfig(withMonitoring, smtpUrl),
    encoding: 'utf8',
  });
  if (created.status !== 0) throw new Error(`docker secret create: ${created.stderr.trim()}`);
  const compose = {
    version: '3.9',
    services: part.services,
    networks: parse(renderStack(settings)).networks,
    volumes: Object.fromEntries(part.volumes.map((v) => [v, {}])),
    secrets: Object.fromEntries(
      part.secrets.map((key) => [
        key,
        { external: true, name: key === 'alertmanager_yml' ? alertmanagerSecret : secretName(key) },
      ]),
    ),
  };
  const file = join(dir, 'monitoring.yml');
  writeFileSync(file, stringify(compose, { aliasDuplicateObjects: false }));
  docker('stack', 'deploy', '--resolve-image', 'never', '-c', file, settings.name);
}
