import * as digitalocean from '@pulumi/digitalocean';
import * as pulumi from '@pulumi/pulumi';

export interface FirewallArgs {
  /** Firewall name in the DigitalOcean account. */
  name: string;
  /** Tag carried by every node of the stack: the firewall applies to them and swarm ports open only between them. */
  clusterTag: pulumi.Input<string>;
  /** Networks allowed to SSH in (validated never to be the whole internet). */
  adminCidrs: string[];
}

const WORLD = ['0.0.0.0/0', '::/0'];

/** The swarm's control, gossip and overlay ports (docs.docker.com "swarm tutorial"). */
export const SWARM_PORTS: { protocol: 'tcp' | 'udp'; port: string }[] = [
  { protocol: 'tcp', port: '2377' },
  { protocol: 'tcp', port: '7946' },
  { protocol: 'udp', port: '7946' },
  { protocol: 'udp', port: '4789' },
];

/** Every inbound rule, computed apart from the resource so it is plain data to read and test. */
export function inboundRules(args: FirewallArgs): digitalocean.types.input.FirewallInboundRule[] {
  return [
    { protocol: 'tcp', portRange: '22', sourceAddresses: args.adminCidrs },
    { protocol: 'tcp', portRange: '80', sourceAddresses: WORLD },
    { protocol: 'tcp', portRange: '443', sourceAddresses: WORLD },
    ...SWARM_PORTS.map(({ protocol, port }) => ({
      protocol,
      portRange: port,
      sourceTags: [args.clusterTag],
    })),
  ];
}

/**
 * The stack's only way in: SSH from admin networks, HTTP(S) from anyone, swarm traffic between the stack's own
 * droplets. Postgres and Redis have no rule, so they are unreachable from outside even if a port were published.
 */
export class Firewall extends pulumi.ComponentResource {
  readonly firewall: digitalocean.Firewall;

  constructor(name: string, args: FirewallArgs, opts?: pulumi.ComponentResourceOptions) {
    super('taskstack:do:Firewall', name, {}, opts);
    // Outbound stays open: apt, the registry, ACME, SMTP and Spaces are all out on the internet.
    const outbound = (['tcp', 'udp'] as const).map((protocol) => ({
      protocol,
      portRange: '1-65535',
      destinationAddresses: WORLD,
    }));
    this.firewall = new digitalocean.Firewall(
      name,
      {
        name: args.name,
        tags: [args.clusterTag],
        inboundRules: inboundRules(args),
        outboundRules: [...outbound, { protocol: 'icmp', destinationAddresses: WORLD }],
      },
      { parent: this },
    );
    this.registerOutputs({ id: this.firewall.id });
  }
}
