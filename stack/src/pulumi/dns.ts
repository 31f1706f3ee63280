import * as digitalocean from '@pulumi/digitalocean';
import * as pulumi from '@pulumi/pulumi';

export interface PublicAddressArgs {
  region: string;
  /** The edge node: nginx publishes 80/443 there in host mode, so the address must point at it. */
  droplet: digitalocean.Droplet;
  /** A domain already managed in the DigitalOcean account (its NS records delegated to DigitalOcean). */
  domain: string;
  /** Record name inside the domain: `@` for the apex, or a label such as `app`. */
  subdomain: string;
}

/**
 * A reserved IP on the edge node and the A record users resolve. The IP outlives droplets, so replacing the edge
 * node changes no DNS and no TLS name.
 */
export class PublicAddress extends pulumi.ComponentResource {
  readonly ip: pulumi.Output<string>;
  /** Fully qualified host name, e.g. `app.example.com`. */
  readonly hostname: string;
  readonly record: digitalocean.DnsRecord;

  constructor(name: string, args: PublicAddressArgs, opts?: pulumi.ComponentResourceOptions) {
    super('taskstack:do:PublicAddress', name, {}, opts);
    const reserved = new digitalocean.ReservedIp(`${name}-ip`, { region: args.region }, { parent: this });
    new digitalocean.ReservedIpAssignment(
      `${name}-ip-assignment`,
      { ipAddress: reserved.ipAddress, dropletId: args.droplet.id.apply(Number) },
      { parent: this },
    );
    this.record = new digitalocean.DnsRecord(
      `${name}-a`,
      { domain: args.domain, type: 'A', name: args.subdomain, value: reserved.ipAddress, ttl: 300 },
      { parent: this },
    );
    this.ip = reserved.ipAddress;
    this.hostname = args.subdomain === '@' ? args.domain : `${args.subdomain}.${args.domain}`;
    this.registerOutputs({ ip: this.ip, hostname: this.hostname });
  }
}
