/**
 * Pulumi entry point (`Pulumi.yaml` → `main: stack/` → stack/package.json `main`). Validates the stack's config,
 * creates the DigitalOcean resources and deploys the swarm stack; the exports are the stack outputs.
 */
import { taskstack } from './program.js';

const outputs = taskstack();

export const url = outputs.url;
export const publicIp = outputs.publicIp;
export const nodes = outputs.nodes;
export const ssh = outputs.ssh;
export const uploadsBucket = outputs.uploadsBucket;
export const backupBucket = outputs.backupBucket;
export const backupEndpoint = outputs.backupEndpoint;
export const imageTag = outputs.imageTag;
export const grafana = outputs.grafana;
