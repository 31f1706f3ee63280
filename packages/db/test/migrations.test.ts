import { QueryTypes } from 'sequelize';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateUp, pendingMigrations, Project, Task, User, Workspace } from '../src/index.js';
import { openTestDatabase } from '../src/testing/index.js';

let db: Awaited<ReturnType<typeof openTestDatabase>>;
beforeAll(async () => {
  db = await openTestDatabase();
});
afterAll(() => db.close());

describe('migrations', () => {
  it('leave nothing pending in a cloned test database and are idempotent', async () => {
    expect(await pendingMigrations(db.sequelize)).toEqual([]);
    expect(await migrateUp(db.sequelize)).toEqual([]);
  });

  it('create a schema the models can write and full-text search can read', async () => {
    const user = await User.create({ email: 'ada@example.com', name: 'Ada', passwordHash: 'x' });
    const workspace = await Workspace.create({ name: 'W' });
    const project = await Project.create({ workspaceId: workspace.id, name: 'P' });
    await Task.create({
      workspaceId: workspace.id,
      projectId: project.id,
      number: 1,
      title: 'Fix the login page',
      description: 'Users see a blank screen',
      position: 'a0',
      createdById: user.id,
    });
    const hits = await db.sequelize.query<{ title: string }>(
      `SELECT title FROM tasks WHERE search @@ websearch_to_tsquery('simple', :q)`,
      { replacements: { q: 'blank' }, type: QueryTypes.SELECT },
    );
    expect(hits.map((h) => h.title)).toEqual(['Fix the login page']);
  });

  it('reject a second user with the same e-mail in another case', async () => {
    await expect(
      User.create({ email: 'ADA@example.com', name: 'Other', passwordHash: 'x' }),
    ).rejects.toThrow();
  });
});
