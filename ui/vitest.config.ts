import vue from '@vitejs/plugin-vue';
import { defineProject } from 'vitest/config';

/** Component and store tests: a DOM from happy-dom; files that talk HTTP opt into `node` per file. */
export default defineProject({
  plugins: [vue()],
  test: {
    name: 'ui',
    environment: 'happy-dom',
    include: ['src/**/*.test.ts'],
    testTimeout: 15_000,
  },
});
