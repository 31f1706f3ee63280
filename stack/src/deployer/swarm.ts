/** Making the target engine a swarm whose nodes carry the labels the stack's placement constraints name. */
import type { StackSettings } from '../definition/settings.js';
import type { Docker } from './docker.js';

/** On this machine: joins a single-node swarm (created if needed) and labels it to hold every service. */
export async function ensureLocalSwarm(docker: Docker, settings: StackSettings): Promise<void> {
  const state = (await docker.run(['info', '--format', '{{.Swarm.LocalNodeState}}'])).trim();
  if (state !== 'active') {
    // With several interfaces Docker cannot guess which address to advertise; a single node needs only loopback.
    await docker
      .run(['swarm', 'init'])
      .catch(() => docker.run(['swarm', 'init', '--advertise-addr', '127.0.0.1']));
  }
  const self = (await docker.run(['info', '--format', '{{.Swarm.NodeID}}'])).trim();
  await docker.run([
    'node',
    'update',
    '--label-add',
    `${settings.placement.statefulLabel}=true`,
    '--label-add',
    `${settings.placement.edgeLabel}=true`,
    self,
  ]);
}

/** On a remote swarm (nodes created by Pulumi): checks some node carries each label, so tasks cannot stay pending. */
export async function checkRemoteSwarm(docker: Docker, settings: StackSettings): Promise<void> {
  const ids = (await docker.run(['node', 'ls', '-q'])).split('\n').filter(Boolean);
  const nodes = await docker.inspect<{ Spec: { Labels?: Record<string, string> } }>([
    'node',
    'inspect',
    ...ids,
  ]);
  for (const label of [settings.placement.statefulLabel, settings.placement.edgeLabel]) {
    if (!nodes.some((node) => node.Spec.Labels?.[label] === 'true')) {
      throw new Error(
        `no swarm node has the label ${label}=true (docker node update --label-add ${label}=true NODE)`,
      );
    }
  }
}
