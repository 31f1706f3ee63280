import { fileURLToPath } from 'node:url';

/** The repository root, so tests read the committed files wherever vitest runs them from. */
export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
/** monitoring/ itself. */
export const monitoringDir = fileURLToPath(new URL('../', import.meta.url));
