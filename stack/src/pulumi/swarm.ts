import * as command from '@pulumi/command';
import * as pulumi from '@pulumi/pulumi';
import type { StackNode } from './infrastructure.js';
import { connection, script } from './remote.js';

export interface SwarmArgs {
  /** The stack's nodes; the first manager initialises the swarm, every other node joins it. */
  nodes: StackNode[];
  /** Pulumi's private key for the SSH steps. */
  privateKey: pulumi.Input<string>;
  /** Placement labels per node id (`manager-1` → [`taskstack.stateful=true`]). */
  labels: Record<string, string[]>;
  /** Steps that must finish on a node before it takes part in the swarm (e.g. mounting the data volume). */
  prepare?: Record<string, pulumi.Resource[]>;
}

/**
 * Docker Swarm over the nodes' private network: init on the first manager, join of the others with tokens that
 * stay secret (stdin in, secret stdout out), then node labels so the stack's pinned services land where their
 * disks and the reserved IP are.
 */
export class Swarm extends pulumi.ComponentResource {
  /** The node every swarm command (labels, deploy) talks to. */
  readonly leader: StackNode;
  /** Everything that must be done before the stack can be deployed. */
  readonly members: pulumi.Resource[];

  constructor(name: string, args: SwarmArgs, opts?: pulumi.ComponentResourceOptions) {
    super('taskstack:do:Swarm', name, {}, opts);
    const [leader, ...others] = args.nodes;
    if (!leader || leader.role !== 'manager') throw new Error('the first node of a swarm must be a manager');
    this.leader = leader;
    const prepared = (node: StackNode) => [node.ready, ...(args.prepare?.[node.id] ?? [])];
    const onLeader = connection(leader.host, args.privateKey);

    const init = new command.remote.Command(
      `${name}-init`,
      {
        connection: onLeader,
        create: script('swarm-init', { ADVERTISE_ADDR: leader.privateAddress }),
        logging: 'stderr',
      },
      { parent: this, dependsOn: prepared(leader), additionalSecretOutputs: ['stdout'] },
    );
    const tokens = init.stdout.apply((out) => {
      const [manager, worker] = out.trim().split('\n');
      return { manager: manager ?? '', worker: worker ?? '' };
    });

    const joined = new Map<string, pulumi.Resource>([[leader.id, init]]);
    for (const node of others) {
      const join = new command.remote.Command(
        `${name}-join-${node.id}`,
        {
          connection: connection(node.host, args.privateKey),
          create: script('swarm-join', {
            ADVERTISE_ADDR: node.privateAddress,
            MANAGER_ADDR: leader.privateAddress,
          }),
          delete: script('swarm-leave'),
          stdin: pulumi.secret(tokens.apply((all) => all[node.role])),
        },
        { parent: this, dependsOn: [init, ...prepared(node)] },
      );
      joined.set(node.id, join);
    }

    // One step per node and label, so moving a label (say dbNode) removes it from the old node instead of
    // leaving two nodes that match the stack's placement constraint.
    const labelled = Object.entries(args.labels).flatMap(([id, labels]) => {
      const node = args.nodes.find((candidate) => candidate.id === id);
      const member = joined.get(id);
      if (!node || !member) throw new Error(`cannot label ${id}: no such node in this stack`);
      return labels.map((label) => {
        const vars = { NODE: node.hostname, LABELS: label };
        return new command.remote.Command(
          `${name}-label-${id}-${label.split('=')[0]}`,
          { connection: onLeader, create: script('label-node', vars), delete: script('unlabel-node', vars) },
          { parent: this, dependsOn: [member] },
        );
      });
    });

    this.members = [...joined.values(), ...labelled];
    this.registerOutputs({});
  }
}
