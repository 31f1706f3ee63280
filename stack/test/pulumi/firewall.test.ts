import { describe, expect, it } from 'vitest';
import { runStack } from './harness.js';

const WORLD = ['0.0.0.0/0', '::/0'];

describe.each([
  ['staging', 'taskstack-staging', ['203.0.113.0/24']],
  ['prod', 'taskstack-prod', ['203.0.113.0/24', '2001:db8:1234::/48']],
])('%s firewall', (stack, tag, adminCidrs) => {
  it('has exactly: SSH from admin CIDRs, 80/443 from anywhere, swarm ports between the stack droplets only', async () => {
    const r = await runStack(stack);
    const firewalls = r.ofType('digitalocean:index/firewall:Firewall');
    expect(firewalls).toHaveLength(1);
    const fw = firewalls[0]!.inputs;
    // It applies to every node of this stack, by the tag each droplet carries.
    expect(fw.tags).toEqual([tag]);
    for (const droplet of r.ofType('digitalocean:index/droplet:Droplet')) {
      expect(droplet.inputs.tags).toContain(tag);
    }
    expect(fw.inboundRules).toEqual([
      { protocol: 'tcp', portRange: '22', sourceAddresses: adminCidrs },
      { protocol: 'tcp', portRange: '80', sourceAddresses: WORLD },
      { protocol: 'tcp', portRange: '443', sourceAddresses: WORLD },
      { protocol: 'tcp', portRange: '2377', sourceTags: [tag] },
      { protocol: 'tcp', portRange: '7946', sourceTags: [tag] },
      { protocol: 'udp', portRange: '7946', sourceTags: [tag] },
      { protocol: 'udp', portRange: '4789', sourceTags: [tag] },
    ]);
  });

  it('never opens SSH, swarm, Postgres or Redis ports to the world', async () => {
    const r = await runStack(stack);
    const rules = r.ofType('digitalocean:index/firewall:Firewall')[0]!.inputs.inboundRules as {
      portRange: string;
      sourceAddresses?: string[];
    }[];
    for (const rule of rules) {
      const open = (rule.sourceAddresses ?? []).some((cidr) => cidr.endsWith('/0'));
      if (open) expect(['80', '443']).toContain(rule.portRange);
    }
    expect(rules.map((rule) => rule.portRange)).not.toContain('5432');
    expect(rules.map((rule) => rule.portRange)).not.toContain('6379');
  });
});
