// The layering rules of lint/boundaries.js, run by ESLint itself on small fixtures placed where they would live.
import { ESLint } from 'eslint';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: resolve(import.meta.dirname, '../..') });

/** The boundary messages ESLint reports for `code` as if it were the file at `path`. */
async function violations(path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('import boundaries', () => {
  it('refuse a route that imports a model, and allow its types and enums', async () => {
    const route = 'api/src/routes/fixture/router.ts';
    expect(await violations(route, "import { Task } from '@taskstack/db';\nvoid Task;\n")).toEqual([
      expect.stringContaining('Models are for repositories'),
    ]);
    expect(await violations(route, "import { Sequelize } from 'sequelize';\nvoid Sequelize;\n")).toEqual([
      expect.stringContaining('SQL belongs in a repository'),
    ]);
    const allowed =
      "import { TASK_STATUSES, type Task } from '@taskstack/db';\nexport type T = Task;\nvoid TASK_STATUSES;\n";
    expect(await violations(route, allowed)).toEqual([]);
  });

  it('refuse a command that imports a route or Express', async () => {
    const command = 'api/src/commands/fixture.ts';
    expect(
      await violations(
        command,
        "import { createTaskBody } from '../routes/tasks/schema.js';\nvoid createTaskBody;\n",
      ),
    ).toEqual([expect.stringContaining('Commands must not import routes')]);
    expect(
      await violations(command, "import type { Request } from 'express';\nexport type R = Request;\n"),
    ).toEqual([expect.stringContaining('not Express types')]);
    expect(
      await violations(command, "import { taskParams } from './tasks/inputs.js';\nvoid taskParams;\n"),
    ).toEqual([]);
  });

  it('refuse ui code that imports api or worker sources', async () => {
    const store = 'ui/src/stores/fixture.ts';
    for (const source of [
      '../../../api/src/config.js',
      '../../../worker/src/start.js',
      '@taskstack/api',
      '@taskstack/worker',
    ]) {
      expect(await violations(store, `import { x } from '${source}';\nvoid x;\n`), source).toHaveLength(1);
    }
    expect(await violations(store, "import { api } from '../services/http.js';\nvoid api;\n")).toEqual([]);
  });

  it('refuse a component that imports a view, and allow a view that imports a component', async () => {
    const component =
      '<script setup lang="ts">\nimport BoardView from \'../views/BoardView.vue\';\nvoid BoardView;\n</script>\n';
    expect(await violations('ui/src/components/Fixture.vue', component)).toEqual([
      expect.stringContaining('Components must not import views'),
    ]);
    const view =
      '<script setup lang="ts">\nimport TaskCard from \'../components/TaskCard.vue\';\nvoid TaskCard;\n</script>\n';
    expect(await violations('ui/src/views/FixtureView.vue', view)).toEqual([]);
  });

  it('refuse the test servers in code the images run, and allow them in tests', async () => {
    const devServices = "import { startPostgres } from '@taskstack/devservices';\nvoid startPostgres;\n";
    for (const path of [
      'api/src/fixture.ts',
      'api/src/routes/fixture/router.ts',
      'api/src/commands/fixture.ts',
      'worker/src/fixture.ts',
      'packages/db/src/fixture.ts',
    ]) {
      expect(await violations(path, devServices), path).toEqual([expect.stringContaining('for tests only')]);
    }
    const oidc = "import { OidcTestProvider } from '@taskstack/devservices/oidc';\nvoid OidcTestProvider;\n";
    expect(await violations('api/src/auth/fixture.ts', oidc)).toHaveLength(1);
    for (const path of [
      'api/src/routes/fixture/fixture.test.ts',
      'api/src/fixture.test.ts',
      'worker/src/fixture.test.ts',
      'packages/db/src/testing/fixture.ts',
      'api/test/fixture.test.ts',
    ]) {
      expect(await violations(path, devServices), path).toEqual([]);
    }
  });

  it("refuse any workspace reaching into another's files, and packages importing the processes", async () => {
    expect(
      await violations(
        'monitoring/test/fixture.test.ts',
        "import { x } from '../../stack/src/definition/monitoring.js';\nvoid x;\n",
      ),
    ).toHaveLength(1);
    expect(
      await violations(
        'packages/db/src/fixture.ts',
        "import { startApi } from '@taskstack/api';\nvoid startApi;\n",
      ),
    ).toHaveLength(1);
    expect(
      await violations(
        'stack/src/fixture.ts',
        "import { loadConfig } from '@taskstack/config';\nvoid loadConfig;\n",
      ),
    ).toHaveLength(1);
    expect(
      await violations('e2e/fixture.ts', "import { startApi } from '@taskstack/api';\nvoid startApi;\n"),
    ).toEqual([]);
  });
});
