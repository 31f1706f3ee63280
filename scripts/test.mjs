// `npm test`: every workspace's vitest suite in one run, closing with the line `N passed, N failed[, N skipped]`.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';

// One report per run: several runs may share a working tree (parallel developers, a watcher).
const report = `test-results/vitest-${process.pid}.json`;
mkdirSync('test-results', { recursive: true });
const run = spawnSync(
  'npx',
  [
    'vitest',
    'run',
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${report}`,
    ...process.argv.slice(2),
  ],
  { stdio: 'inherit' },
);

let summary;
try {
  const results = JSON.parse(readFileSync(report, 'utf8'));
  summary = {
    passed: results.numPassedTests,
    failed: results.numFailedTests,
    skipped: results.numPendingTests + results.numTodoTests,
  };
  // A file that fails to load, or whose beforeAll fails (its tests then count as skipped), has no failed test to
  // count but is a failure all the same.
  summary.failed += results.testResults.filter(
    (file) => file.status === 'failed' && !file.assertionResults.some((test) => test.status === 'failed'),
  ).length;
} catch {
  summary = { passed: 0, failed: 1, skipped: 0 };
}
const line =
  `${summary.passed} passed, ${summary.failed} failed` +
  (summary.skipped ? `, ${summary.skipped} skipped` : '');
// Errors outside any test (an uncaught exception in a test file's servers) fail the run without failing a test.
const errors = run.status !== 0 && summary.failed === 0 ? ` (vitest exited ${run.status}: errors above)` : '';
console.log(line + errors);
process.exit(run.status === 0 && summary.failed === 0 ? 0 : 1);
