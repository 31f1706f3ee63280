import { defaultServerConditions } from 'vite';
import { defineProject } from 'vitest/config';

// Like the Node workspaces: `@taskstack/source` loads the API, worker and packages from their TypeScript sources.
const conditions = ['@taskstack/source', ...defaultServerConditions.filter((c) => c !== 'module')];

/** Browser end-to-end tests: real API + worker + Postgres + Redis + SMTP sink, driven through Chromium. */
export default defineProject({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    name: 'ui-e2e',
    root: import.meta.dirname,
    include: ['**/*.e2e.test.ts'],
    environment: 'node',
    globalSetup: ['./build-ui.ts'],
    // One browser and one stack at a time: the machine has two cores shared with everything else.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 180_000,
  },
});
