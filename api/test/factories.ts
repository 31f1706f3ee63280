import { Membership, User, Workspace, type Role } from '@taskstack/db';
import { randomBytes, randomUUID } from 'node:crypto';
import { signAccessToken } from '../src/auth/access-token.js';
import type { TestApi } from './harness.js';

const unique = () => randomBytes(4).toString('hex');

/** A user straight in the database (password hash is not a valid argon2 hash: sign-in needs the register route). */
export async function buildUser(
  overrides: Partial<{ email: string; name: string; isInstanceAdmin: boolean }> = {},
) {
  const id = unique();
  return User.create({
    email: `user-${id}@example.com`,
    name: `User ${id}`,
    passwordHash: 'not-a-hash',
    ...overrides,
  });
}

/** A bearer token for `user`, as sign-in would issue it (a session of its own, never ended). */
export function tokenFor(api: TestApi, user: { id: string }): Promise<string> {
  return signAccessToken(user.id, randomUUID(), api.config.JWT_SECRET);
}

/** A workspace whose owner is `owner`. */
export async function buildWorkspace(owner: { id: string }, name = `Workspace ${unique()}`) {
  const workspace = await Workspace.create({ name });
  await Membership.create({ workspaceId: workspace.id, userId: owner.id, role: 'owner' });
  return workspace;
}

/** Adds `user` to `workspace` with `role`. */
export function addMember(workspace: { id: string }, user: { id: string }, role: Role) {
  return Membership.create({ workspaceId: workspace.id, userId: user.id, role });
}

/** A user with a token and a membership of `role` in `workspace` — the usual start of a route test. */
export async function buildMember(api: TestApi, workspace: { id: string }, role: Role) {
  const user = await buildUser();
  await addMember(workspace, user, role);
  return { user, token: await tokenFor(api, user) };
}
