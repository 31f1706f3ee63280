import type * as command from '@pulumi/command';
import type * as pulumi from '@pulumi/pulumi';
import type { RegistryLogin } from './registry.js';

export type NodeRole = 'manager' | 'worker';

/** One machine of the stack (a droplet, or a node container locally), ready for swarm commands after `ready`. */
export interface StackNode {
  /** `manager-1`, `worker-2`, … — also how config (`dbNode`) names it. */
  id: string;
  role: NodeRole;
  /** Machine name = hostname = swarm node name. */
  hostname: string;
  /** Where Pulumi and the deployer SSH to. */
  host: pulumi.Output<string>;
  /** Where the other nodes reach it: the swarm's advertise address. */
  privateAddress: pulumi.Output<string>;
  /** First SSH step: cloud-init finished, authorized keys current. Swarm steps depend on it. */
  ready: command.remote.Command;
  /** The node's SSH host key (`ssh-ed25519 AAAA…`), as read by the ready step. */
  hostKey: pulumi.Output<string>;
}

/** The S3-compatible service the buckets live in. */
export interface ObjectStore {
  /** What S3 clients take as their endpoint. */
  endpoint: string;
  region: string;
  /** Path-style addressing (S3-compatible servers without per-bucket host names). */
  forcePathStyle: boolean;
}

/** One bucket and the key that reaches it alone. */
export interface Bucket {
  name: pulumi.Output<string>;
  accessKeyId: pulumi.Output<string>;
  secretAccessKey: pulumi.Output<string>;
}

/**
 * What a stack runs on: the only part of the program that differs between DigitalOcean (`digitalocean.ts`) and this
 * machine (`local/`). Everything above it — Swarm, Images, AppSecrets, Deployment — is the same code for every stack.
 */
export interface Infrastructure {
  /** Managers first: the first one initialises the swarm. */
  nodes: StackNode[];
  /** Steps that must finish on a node before it joins the swarm (e.g. mounting the data volume). */
  prepare: Record<string, pulumi.Resource[]>;
  /** Host name users open (the TLS name). */
  hostname: string;
  /** What users open, e.g. `https://app.example.com`. */
  url: string;
  /** The address users' traffic arrives at. */
  publicIp: pulumi.Output<string>;
  /** Certificates from ACME (public address with DNS), or nginx's self-signed one (no public name). */
  acme: boolean;
  registry: { prefix: string; push: RegistryLogin; pull: RegistryLogin };
  objectStore: ObjectStore;
  /** Attachments (api and worker). */
  uploads: Bucket;
  /** Backup copies, with a key only the worker is given. */
  backups: Bucket;
}

/** The node named `id` (`manager-1`, `worker-2`); config validation guarantees it exists. */
export function nodeById(nodes: StackNode[], id: string): StackNode {
  const found = nodes.find((candidate) => candidate.id === id);
  if (!found) throw new Error(`no node ${id}`);
  return found;
}
