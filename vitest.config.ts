import { defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

/** Workspaces whose tests run in Node against the real services the global setup starts. */
const nodeProjects = [
  'packages/config',
  'packages/db',
  'packages/queues',
  'packages/runtime',
  'packages/devservices',
  'api',
  'worker',
  'stack',
  'monitoring',
  // `npm start` itself: fails fast on a bad DATABASE_URL, serves the app, leaves nothing behind on Ctrl-C; and the
  // web app's generated API types are current.
  'scripts',
  // The import boundaries of lint/boundaries.js, checked on fixtures.
  'lint',
];

// `@taskstack/source` makes workspace packages resolve to their TypeScript sources, so tests need no build step;
// `module` is dropped because Node cannot load some packages' "module" builds (extensionless ESM).
const conditions = ['@taskstack/source', ...defaultServerConditions.filter((c) => c !== 'module')];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    // Runs once for the whole run (projects do not extend the root), so all files share one Postgres and Redis.
    globalSetup: ['./vitest.global-setup.ts'],
    projects: [
      ...nodeProjects.map((root) => ({
        resolve: { conditions },
        ssr: { resolve: { conditions } },
        test: {
          testTimeout: 30_000,
          hookTimeout: 60_000,
          name: root.replace('packages/', ''),
          root,
          include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
          environment: 'node',
        },
      })),
      // The web app's component/store tests and the browser end-to-end suite (e2e/) define their own projects.
      'ui/vitest.config.ts',
      'e2e/vitest.config.ts',
    ],
  },
});
