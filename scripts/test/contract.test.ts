import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { contractFile, renderContract } from '../contract.js';

it("the web app's API types are generated from the API's current OpenAPI document (else: npm run contract)", async () => {
  const generated = await renderContract();
  // The document really carries the enums the screens list, in the API's order.
  expect(generated).toContain("['backlog', 'todo', 'in_progress', 'done']");
  expect(
    readFileSync(contractFile, 'utf8') === generated,
    'ui/src/services/openapi.ts is stale: run npm run contract',
  ).toBe(true);
});
