/** Fixed addresses on the local stack's /24, so config (adminCidrs) and the firewall can name them before any run. */
export interface LocalAddresses {
  /** The operator's machine as the nodes see it (the Docker network's gateway): where Pulumi's SSH comes from. */
  gateway: string;
  registry: string;
  bucket: string;
  /** `manager-1` → .11, `manager-3` → .13, `worker-1` → .21 … `worker-20` → .40. */
  node(id: string): string;
}

/** The addresses of a `a.b.c.0/24` subnet. */
export function localAddresses(subnet: string): LocalAddresses {
  const base = subnet.split('.').slice(0, 3).join('.');
  return {
    gateway: `${base}.1`,
    registry: `${base}.2`,
    bucket: `${base}.3`,
    node(id) {
      const [role, n] = id.split('-');
      return `${base}.${(role === 'manager' ? 10 : 20) + Number(n)}`;
    },
  };
}
