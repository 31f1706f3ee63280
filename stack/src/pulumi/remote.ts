import { readFileSync } from 'node:fs';
import type * as command from '@pulumi/command';
import * as pulumi from '@pulumi/pulumi';

/** The user every SSH step logs in as; cloud-init creates it and sshd allows no other. */
export const DEPLOY_USER = 'deploy';

/** The remote scripts (kept as files so shellcheck sees exactly what runs on the droplets). */
export type ScriptName =
  | 'node-ready'
  | 'mount-volume'
  | 'swarm-init'
  | 'swarm-join'
  | 'swarm-leave'
  | 'label-node'
  | 'unlabel-node'
  | 'local-firewall';

/** Path of a remote script, for tests that lint them. */
export const scriptPath = (name: ScriptName): URL => new URL(`./scripts/${name}.sh`, import.meta.url);

/** Only values that need no quoting are put into commands; anything else is a bug, not operator input. */
const SAFE_VALUE = /^[A-Za-z0-9_.,:=/@ -]*$/;

/**
 * A script with its variables exported in front. Values are plain (names, private IPs): secrets go through stdin,
 * because the command text is stored in state and shown in logs.
 */
export function script(
  name: ScriptName,
  vars: Record<string, pulumi.Input<string>> = {},
): pulumi.Output<string> {
  const body = readFileSync(scriptPath(name), 'utf8');
  return pulumi.all(vars).apply((values) => {
    const exports = Object.entries(values).map(([key, value]) => {
      if (!SAFE_VALUE.test(value)) throw new Error(`unsafe value for ${key} in ${name}.sh`);
      return `export ${key}='${value}'`;
    });
    const [shebang, ...rest] = body.split('\n');
    return [shebang, ...exports, ...rest].join('\n');
  });
}

/** SSH connection to a node as the deploy user, patient enough for a droplet that is still booting. */
export function connection(
  host: pulumi.Input<string>,
  privateKey: pulumi.Input<string>,
): command.types.input.remote.ConnectionArgs {
  // First boot installs Docker and upgrades packages before the deploy user has keys: allow ~10 minutes.
  return { host, user: DEPLOY_USER, privateKey, dialErrorLimit: 120, perDialTimeout: 10 };
}
