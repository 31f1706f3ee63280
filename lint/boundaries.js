// The layering of the code base as `no-restricted-imports` zones (docs/development.md, "Layers"):
// packages ← api, worker; ui and stack apart; in the API routes → commands → repositories; components never
// import views; no workspace reaches into another's files. ESLint applies one zone per file: the last block whose
// `files` match wins, so every zone lists all the restrictions it keeps.
import { readdirSync } from 'node:fs';

const workspaces = '(api|worker|ui|stack|monitoring|e2e|scripts|packages/[^/]+)';

/** Another workspace's files, reached by a relative path: use its package name and `exports` instead. */
const foreignFiles = {
  regex: `^(\\.\\./)+${workspaces}/(src|test|e2e)/`,
  message: 'Import another workspace by its package name (@taskstack/…) and its `exports`, not by its files.',
};

/** Package names a zone may not import (the leading `@taskstack/` is implied). */
const packages = (names, why) => ({ regex: `^@taskstack/(${names})(/|$)`, message: why });

// The models, named from their files so a new model is covered without editing this list.
const models = readdirSync(new URL('../packages/db/src/models/', import.meta.url))
  .filter((file) => /^[A-Z]\w*\.ts$/.test(file))
  .map((file) => file.replace(/\.ts$/, ''));

/** Routes, policies and presenters reach data only through repositories and commands. */
const modelsAndSql = [
  {
    group: ['@taskstack/db'],
    importNames: models,
    allowTypeImports: true,
    message: 'Models are for repositories: go through a repository (or a command) instead.',
  },
  {
    regex: '^(sequelize|pg)$',
    allowTypeImports: true,
    message: 'SQL belongs in a repository: go through one (types such as Transaction may be imported).',
  },
  { regex: '(^|/)(models/|lib/raw-sql\\.js$)', message: 'SQL belongs in a repository.' },
];

/** Commands take plain typed inputs: no route schemas, no Express. */
const routesAndExpress = [
  { regex: '(^|/)routes/', message: 'Commands must not import routes: move the schema beside the command.' },
  { regex: '^express(-serve-static-core)?$', message: 'Commands take plain inputs, not Express types.' },
];

const views = {
  regex: '(^|/)views/',
  message: 'Components must not import views: views compose components.',
};

const serverSide = 'api|worker|db|queues|config|runtime|devservices|stack|monitoring|e2e';
const apiImports = packages('worker|ui|stack|monitoring|e2e', 'The API imports packages only.');
const workerImports = packages('api|ui|stack|monitoring|e2e', 'The worker imports packages only.');
const packageImports = packages(
  'api|worker|ui|stack|monitoring|e2e',
  'Packages are shared by api and worker and import neither.',
);
const uiImports = packages(serverSide, 'The web app talks to the API over HTTP only.');
// The test servers (Postgres, Redis, S3, SMTP, an OIDC provider) are a devDependency, absent from the images: code
// that runs there and imports them fails only in production.
const devServices = packages(
  'devservices',
  'The test servers (@taskstack/devservices) are for tests only: the images do not have them.',
);
const tests = ['**/*.test.ts', '**/testing/**'];

const routes = {
  files: ['api/src/routes/**', 'api/src/policies/**', 'api/src/presenters/**'],
  // Tests beside the routes build and inspect rows with the models.
  ignores: tests,
  patterns: [foreignFiles, apiImports, devServices, ...modelsAndSql],
};
const commands = {
  files: ['api/src/commands/**'],
  patterns: [foreignFiles, apiImports, devServices, ...routesAndExpress],
};

/** Zones in order from general to specific; each holds every restriction that applies to its files. */
const zones = [
  { files: ['**/*.{ts,js,mjs,vue}'], patterns: [foreignFiles] },
  { files: ['packages/*/src/**'], patterns: [foreignFiles, packageImports] },
  {
    files: ['packages/*/src/**'],
    ignores: ['packages/devservices/**', ...tests],
    patterns: [foreignFiles, packageImports, devServices],
  },
  { files: ['api/src/**'], patterns: [foreignFiles, apiImports] },
  { files: ['api/src/**'], ignores: tests, patterns: [foreignFiles, apiImports, devServices] },
  routes,
  commands,
  { files: ['worker/src/**'], patterns: [foreignFiles, workerImports] },
  { files: ['worker/src/**'], ignores: tests, patterns: [foreignFiles, workerImports, devServices] },
  { files: ['ui/src/**'], patterns: [foreignFiles, uiImports] },
  { files: ['ui/src/components/**'], patterns: [foreignFiles, uiImports, views] },
  {
    files: ['stack/src/**'],
    patterns: [
      foreignFiles,
      packages(
        'api|worker|ui|db|queues|config|runtime|devservices|monitoring|e2e',
        'The stack deploys images; it imports no app code.',
      ),
    ],
  },
];

const block = (files, patterns, ignores = []) => ({
  files,
  ignores,
  rules: { 'no-restricted-imports': ['error', { patterns }] },
});

/** ESLint flat-config blocks for the zones above. */
export const boundaries = zones.map(({ files, patterns, ignores }) => block(files, patterns, ignores));
