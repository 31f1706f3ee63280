import * as command from '@pulumi/command';
import * as pulumi from '@pulumi/pulumi';
import { inboundRules } from '../firewall.js';
import type { StackNode } from '../infrastructure.js';
import { connection, script } from '../remote.js';

export interface LocalFirewallArgs {
  nodes: StackNode[];
  /** Every node's address: the local counterpart of the droplets' stack tag. */
  nodeAddresses: string[];
  adminCidrs: string[];
  privateKey: pulumi.Input<string>;
}

const WORLD = new Set(['0.0.0.0/0', '::/0']);

/**
 * The DigitalOcean firewall's inbound rules (`inboundRules`, the same data) as `proto:port:source,…` words for
 * local-firewall.sh; `any` where the cloud firewall allows the world, the node addresses where it allows the tag.
 */
export function firewallRules(nodeAddresses: string[], adminCidrs: string[]): string {
  return inboundRules({ name: '', clusterTag: '', adminCidrs })
    .map((rule) => {
      const sources = rule.sourceTags
        ? nodeAddresses.map((address) => `${address}/32`)
        : (rule.sourceAddresses as string[]).filter((source) => !source.includes(':'));
      const any = (rule.sourceAddresses as string[] | undefined)?.some((source) => WORLD.has(source));
      return `${rule.protocol}:${String(rule.portRange)}:${any ? 'any' : sources.join(',')}`;
    })
    .join(' ');
}

/**
 * The cloud firewall enforced inside each node (iptables INPUT for the node's own sshd and dockerd, DOCKER-USER for
 * ports its containers publish), from the same rules, so SSH is closed to non-admins and swarm ports to non-nodes.
 */
export class LocalFirewall extends pulumi.ComponentResource {
  /** Per node id, the step after which the node is filtered; it must precede the swarm join. */
  readonly applied: Record<string, command.remote.Command>;

  constructor(name: string, args: LocalFirewallArgs, opts?: pulumi.ComponentResourceOptions) {
    super('taskstack:local:Firewall', name, {}, opts);
    const rules = firewallRules(args.nodeAddresses, args.adminCidrs);
    this.applied = Object.fromEntries(
      args.nodes.map((node) => [
        node.id,
        new command.remote.Command(
          `${name}-${node.id}`,
          {
            connection: connection(node.host, args.privateKey),
            create: script('local-firewall', { RULES: rules }),
          },
          { parent: this, dependsOn: [node.ready] },
        ),
      ]),
    );
    this.registerOutputs({});
  }
}
