import { Attachment, Invitation, Membership } from '@taskstack/db';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProject, createTask } from './board-factories.js';
import { addMember, buildMember, buildUser, buildWorkspace, tokenFor } from './factories.js';
import {
  INVITATIONS_PER_INVITER,
  PENDING_INVITATIONS_PER_WORKSPACE,
} from '../src/commands/invitation-limits.js';
import { startTestApi, type TestApi } from './harness.js';
import { confirmEmail, eventually, registerThroughApi } from './sessions.js';

let api: TestApi;
const filesDir = mkdtempSync(join(tmpdir(), 'taskstack-ws-files-'));
beforeAll(async () => {
  api = await startTestApi({
    PUBLIC_URL: 'https://tasks.example.com/',
    STORAGE_DIR: filesDir,
  });
});
afterAll(async () => {
  await api.close();
  rmSync(filesDir, { recursive: true, force: true });
});

const v1 = (path: string) => `/api/v1${path}`;

async function ownedWorkspace() {
  const owner = await buildUser();
  const workspace = await buildWorkspace(owner);
  return { owner, workspace, token: await tokenFor(api, owner) };
}

describe('workspaces', () => {
  it('creates, lists only the caller’s, reads, renames and deletes', async () => {
    const account = await registerThroughApi(api);
    const created = await api.call('POST', v1('/workspaces'), {
      token: account.token,
      body: { name: ' Team ' },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'Team', role: 'owner' });
    await ownedWorkspace(); // someone else's, must not be listed

    const list = await api.call('GET', v1('/workspaces'), { token: account.token });
    expect(list.body).toEqual([
      expect.objectContaining({ id: created.body.id, name: 'Team', role: 'owner' }),
    ]);

    const id = created.body.id as string;
    expect((await api.call('GET', v1(`/workspaces/${id}`), { token: account.token })).body.name).toBe('Team');
    const renamed = await api.call('PATCH', v1(`/workspaces/${id}`), {
      token: account.token,
      body: { name: 'Renamed' },
    });
    expect(renamed).toMatchObject({ status: 200, body: { name: 'Renamed' } });
    expect((await api.call('DELETE', v1(`/workspaces/${id}`), { token: account.token })).status).toBe(204);
    expect((await api.call('GET', v1(`/workspaces/${id}`), { token: account.token })).status).toBe(404);
  });

  it('hides foreign workspaces (404) and refuses renames below owner (403)', async () => {
    const { workspace } = await ownedWorkspace();
    const outsider = await tokenFor(api, await buildUser());
    expect((await api.call('GET', v1(`/workspaces/${workspace.id}`), { token: outsider })).status).toBe(404);
    const admin = await buildMember(api, workspace, 'admin');
    const res = await api.call('PATCH', v1(`/workspaces/${workspace.id}`), {
      token: admin.token,
      body: { name: 'x' },
    });
    expect(res.status).toBe(403);
  });

  it('validates names and unknown fields', async () => {
    const { workspace, token } = await ownedWorkspace();
    const res = await api.call('PATCH', v1(`/workspaces/${workspace.id}`), {
      token,
      body: { name: '', color: 'red' },
    });
    expect(res.status).toBe(400);
    expect((await api.call('GET', v1('/workspaces/not-a-uuid'), { token })).status).toBe(404);
  });
});

describe('members', () => {
  it('lists members with their roles', async () => {
    const { workspace, token, owner } = await ownedWorkspace();
    const viewer = await buildMember(api, workspace, 'viewer');
    const res = await api.call('GET', v1(`/workspaces/${workspace.id}/members`), { token: viewer.token });
    expect(res.status).toBe(200);
    expect(res.body).toHaveLength(2);
    expect(res.body).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ userId: owner.id, role: 'owner', email: owner.email }),
        expect.objectContaining({ userId: viewer.user.id, role: 'viewer' }),
      ]),
    );
    expect(token).toBeDefined();
  });

  it('admins change roles of non-owners but cannot grant or touch ownership', async () => {
    const { workspace, owner } = await ownedWorkspace();
    const admin = await buildMember(api, workspace, 'admin');
    const member = await buildMember(api, workspace, 'member');
    const path = (userId: string) => v1(`/workspaces/${workspace.id}/members/${userId}`);
    const promote = await api.call('PATCH', path(member.user.id), {
      token: admin.token,
      body: { role: 'admin' },
    });
    expect(promote).toMatchObject({ status: 200, body: { userId: member.user.id, role: 'admin' } });
    const toOwner = await api.call('PATCH', path(member.user.id), {
      token: admin.token,
      body: { role: 'owner' },
    });
    expect(toOwner.status).toBe(403);
    const demoteOwner = await api.call('PATCH', path(owner.id), {
      token: admin.token,
      body: { role: 'member' },
    });
    expect(demoteOwner.status).toBe(403);
    const byMember = await buildMember(api, workspace, 'member');
    const res = await api.call('PATCH', path(admin.user.id), {
      token: byMember.token,
      body: { role: 'viewer' },
    });
    expect(res.status).toBe(403);
  });

  it('keeps one owner: the last owner can be neither demoted nor removed (409); ownership transfers', async () => {
    const { workspace, owner, token } = await ownedWorkspace();
    const path = (userId: string) => v1(`/workspaces/${workspace.id}/members/${userId}`);
    expect((await api.call('PATCH', path(owner.id), { token, body: { role: 'admin' } })).status).toBe(409);
    expect((await api.call('DELETE', path(owner.id), { token })).status).toBe(409);

    const heir = await buildMember(api, workspace, 'admin');
    expect((await api.call('PATCH', path(heir.user.id), { token, body: { role: 'owner' } })).status).toBe(
      200,
    );
    expect((await api.call('PATCH', path(owner.id), { token, body: { role: 'member' } })).status).toBe(200);
    const roles = await Membership.findAll({ where: { workspaceId: workspace.id } });
    expect(roles.map((m) => m.role).sort()).toEqual(['member', 'owner']);
  });

  it('two owners demoting each other at once: the second is no longer an owner (403), one owner stays', async () => {
    const { workspace, owner, token } = await ownedWorkspace();
    const second = await buildMember(api, workspace, 'owner');
    const path = (userId: string) => v1(`/workspaces/${workspace.id}/members/${userId}`);
    const results = await Promise.all([
      api.call('PATCH', path(second.user.id), { token, body: { role: 'member' } }),
      api.call('PATCH', path(owner.id), { token: second.token, body: { role: 'member' } }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 403]);
    expect(await Membership.count({ where: { workspaceId: workspace.id, role: 'owner' } })).toBe(1);
  });

  it('members may leave; admins remove members; 404 for non-members', async () => {
    const { workspace, token } = await ownedWorkspace();
    const member = await buildMember(api, workspace, 'viewer');
    const other = await buildMember(api, workspace, 'member');
    const path = (userId: string) => v1(`/workspaces/${workspace.id}/members/${userId}`);
    expect((await api.call('DELETE', path(other.user.id), { token: member.token })).status).toBe(403);
    expect((await api.call('DELETE', path(member.user.id), { token: member.token })).status).toBe(204);
    expect((await api.call('DELETE', path(other.user.id), { token })).status).toBe(204);
    const stranger = await buildUser();
    expect((await api.call('DELETE', path(stranger.id), { token })).status).toBe(404);
  });
});

describe('invitations', () => {
  async function invite(email: string, role = 'member') {
    const { workspace, token, owner } = await ownedWorkspace();
    const res = await api.call('POST', v1(`/workspaces/${workspace.id}/invitations`), {
      token,
      body: { email, role },
    });
    expect(res.status).toBe(201);
    const job = await api.context.emails.queue.getJob(`invitation-${res.body.id}`);
    const acceptUrl = new URL(job!.data.acceptUrl as string);
    return { workspace, token, owner, invitation: res.body, job: job!, acceptUrl };
  }

  it('invites by email, the invitee previews, accepts once, and joins with the role', async () => {
    const account = await registerThroughApi(api);
    await confirmEmail(api, account.user.id);
    const { workspace, invitation, job, acceptUrl, owner } = await invite(
      account.email.toUpperCase(),
      'viewer',
    );
    expect(invitation).toMatchObject({ email: account.email, role: 'viewer', workspaceId: workspace.id });
    expect(Date.parse(invitation.expiresAt) - Date.now()).toBeGreaterThan(6.9 * 86_400_000);
    expect(job.data).toMatchObject({
      to: account.email,
      inviterName: owner.name,
      workspaceName: workspace.name,
    });
    expect(acceptUrl.origin + acceptUrl.pathname.replace(/[^/]+$/, '')).toBe(
      'https://tasks.example.com/invitations/',
    );
    const token = acceptUrl.pathname.split('/').pop()!;
    const stored = await Invitation.findByPk(invitation.id);
    expect(stored!.tokenHash).not.toContain(token);

    const preview = await api.call('GET', v1(`/invitations/${token}`));
    expect(preview.body).toMatchObject({ workspaceName: workspace.name, role: 'viewer' });
    const accepted = await api.call('POST', v1(`/invitations/${token}/accept`), { token: account.token });
    expect(accepted).toMatchObject({ status: 200, body: { workspaceId: workspace.id, role: 'viewer' } });
    const again = await api.call('POST', v1(`/invitations/${token}/accept`), { token: account.token });
    expect(again.status).toBe(404);
    const mine = await api.call('GET', v1('/workspaces'), { token: account.token });
    expect(mine.body).toEqual([expect.objectContaining({ id: workspace.id, role: 'viewer' })]);
  });

  it('binds an invitation only to a confirmed address: the invited account confirms it, then joins', async () => {
    const account = await registerThroughApi(api);
    const { workspace, acceptUrl } = await invite(account.email);
    const token = acceptUrl.pathname.split('/').pop()!;
    const early = await api.call('POST', v1(`/invitations/${token}/accept`), { token: account.token });
    expect(early.status).toBe(403);
    expect(early.body.detail).toBe(
      `Confirm ${account.email} first: open the link in your welcome email, then accept the invitation.`,
    );
    expect(await Membership.count({ where: { workspaceId: workspace.id, userId: account.user.id } })).toBe(0);
    // The link still works once the address is confirmed.
    await confirmEmail(api, account.user.id);
    const accepted = await api.call('POST', v1(`/invitations/${token}/accept`), { token: account.token });
    expect(accepted).toMatchObject({ status: 200, body: { workspaceId: workspace.id, role: 'member' } });
  });

  it('requires sign-in and the invited email; refuses expired links', async () => {
    const invited = await registerThroughApi(api);
    await confirmEmail(api, invited.user.id);
    const { acceptUrl, invitation } = await invite(invited.email);
    const token = acceptUrl.pathname.split('/').pop()!;
    expect((await api.call('POST', v1(`/invitations/${token}/accept`))).status).toBe(401);
    const someoneElse = await registerThroughApi(api);
    const wrong = await api.call('POST', v1(`/invitations/${token}/accept`), { token: someoneElse.token });
    expect(wrong.status).toBe(403);
    await Invitation.update({ expiresAt: new Date(Date.now() - 1000) }, { where: { id: invitation.id } });
    const expired = await api.call('POST', v1(`/invitations/${token}/accept`), { token: invited.token });
    expect(expired.status).toBe(404);
    expect(
      (await api.call('POST', v1('/invitations/garbage!/accept'), { token: invited.token })).status,
    ).toBe(404);
  });

  it('lists and withdraws pending invitations; refuses members and owner invitations', async () => {
    const { workspace, token } = await ownedWorkspace();
    const member = await buildMember(api, workspace, 'member');
    const path = v1(`/workspaces/${workspace.id}/invitations`);
    expect(
      (await api.call('POST', path, { token, body: { email: member.user.email, role: 'admin' } })).status,
    ).toBe(409);
    expect(
      (await api.call('POST', path, { token, body: { email: 'a@example.com', role: 'owner' } })).status,
    ).toBe(400);
    expect(
      (
        await api.call('POST', path, {
          token: member.token,
          body: { email: 'a@example.com', role: 'viewer' },
        })
      ).status,
    ).toBe(403);
    const created = await api.call('POST', path, { token, body: { email: 'b@example.com', role: 'viewer' } });
    const listed = await api.call('GET', path, { token });
    expect(listed.body).toEqual([expect.objectContaining({ id: created.body.id })]);
    expect((await api.call('DELETE', `${path}/${created.body.id}`, { token })).status).toBe(204);
    expect((await api.call('GET', path, { token })).body).toEqual([]);
  });

  it('withdraws the pending invitations of an admin who is demoted or removed', async () => {
    const { workspace, token } = await ownedWorkspace();
    const admins = [await buildMember(api, workspace, 'admin'), await buildMember(api, workspace, 'admin')];
    const sent = [];
    for (const admin of admins) {
      const res = await api.call('POST', v1(`/workspaces/${workspace.id}/invitations`), {
        token: admin.token,
        body: { email: `friend-of-${admin.user.id}@example.com`, role: 'member' },
      });
      expect(res.status).toBe(201);
      sent.push(res.body.id as string);
    }
    const member = (userId: string) => v1(`/workspaces/${workspace.id}/members/${userId}`);
    const demoted = await api.call('PATCH', member(admins[0]!.user.id), { token, body: { role: 'member' } });
    expect(demoted.status).toBe(200);
    expect(await Invitation.count({ where: { id: sent } })).toBe(1);
    expect((await api.call('DELETE', member(admins[1]!.user.id), { token })).status).toBe(204);
    expect(await Invitation.count({ where: { id: sent } })).toBe(0);
  });

  it('caps invitations per inviter (429) and pending invitations per workspace (409)', async () => {
    const { workspace, owner, token } = await ownedWorkspace();
    const inviteAs = (bearer: string, email: string) =>
      api.call('POST', v1(`/workspaces/${workspace.id}/invitations`), {
        token: bearer,
        body: { email, role: 'member' },
      });
    const statuses: number[] = [];
    for (let i = 0; i <= INVITATIONS_PER_INVITER.points; i++) {
      statuses.push((await inviteAs(token, `capped-${i}@example.com`)).status);
    }
    expect(statuses.slice(0, -1).every((s) => s === 201)).toBe(true);
    const over = statuses.at(-1);
    expect(over).toBe(429);

    const admin = await buildMember(api, workspace, 'admin');
    const expiresAt = new Date(Date.now() + 86_400_000);
    const room = PENDING_INVITATIONS_PER_WORKSPACE - INVITATIONS_PER_INVITER.points;
    await Invitation.bulkCreate(
      Array.from({ length: room }, (_, i) => ({
        workspaceId: workspace.id,
        email: `pending-${i}@example.com`,
        role: 'member' as const,
        tokenHash: `hash-${workspace.id}-${i}`,
        invitedById: owner.id,
        expiresAt,
      })),
    );
    const full = await inviteAs(admin.token, 'one-too-many@example.com');
    expect(full.status).toBe(409);
    // Re-inviting someone already invited replaces that invitation, so it still fits.
    expect((await inviteAs(admin.token, 'pending-0@example.com')).status).toBe(201);
  }, 60_000);

  it('two concurrent accepts of one link let the person in once', async () => {
    const account = await registerThroughApi(api);
    await confirmEmail(api, account.user.id);
    const { workspace, acceptUrl } = await invite(account.email);
    const token = acceptUrl.pathname.split('/').pop()!;
    const results = await Promise.all(
      [1, 2].map(() => api.call('POST', v1(`/invitations/${token}/accept`), { token: account.token })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 404]);
    expect(await Membership.count({ where: { workspaceId: workspace.id, userId: account.user.id } })).toBe(1);
  });

  it('a person already in the workspace cannot accept twice (409)', async () => {
    const account = await registerThroughApi(api);
    await confirmEmail(api, account.user.id);
    const { workspace, acceptUrl } = await invite(account.email);
    const user = { id: account.user.id };
    await addMember(workspace, user, 'viewer');
    const token = acceptUrl.pathname.split('/').pop()!;
    expect(
      (await api.call('POST', v1(`/invitations/${token}/accept`), { token: account.token })).status,
    ).toBe(409);
  });
});

describe('deleting a workspace', () => {
  it('removes the files of its attachments, those of trashed tasks and its export zips too', async () => {
    const { workspace, token } = await ownedWorkspace();
    const project = await buildProject(workspace);
    const attach = async (taskId: string) => {
      const form = new FormData();
      form.append('file', new Blob(['secret bytes'], { type: 'text/plain' }), 'notes.txt');
      const uploaded = await api.call('POST', v1(`/tasks/${taskId}/attachments`), { token, rawBody: form });
      expect(uploaded.status).toBe(201);
      const stored = await Attachment.findByPk(uploaded.body.id);
      return { id: uploaded.body.id as string, file: join(api.config.STORAGE_DIR, stored!.storageKey) };
    };
    const live = await attach((await createTask(api, token, project)).id);
    const trashedTask = await createTask(api, token, project);
    const trashed = await attach(trashedTask.id);
    expect((await api.call('DELETE', v1(`/tasks/${trashedTask.id}`), { token })).status).toBe(204);
    // An export the worker finished: its zip in the same storage, named by the transfer row.
    const exported = await api.call('POST', v1(`/workspaces/${workspace.id}/exports`), { token });
    expect(exported.status).toBe(202);
    const zipKey = `${workspace.id}/${exported.body.id}/${crypto.randomUUID()}`;
    const zip = join(api.config.STORAGE_DIR, zipKey);
    mkdirSync(dirname(zip), { recursive: true });
    writeFileSync(zip, 'PK zip bytes');
    await api.context.sql.query(
      `UPDATE workspace_transfers SET status = 'succeeded', file_key = $2 WHERE id = $1`,
      [exported.body.id, zipKey],
    );
    const files = [live.file, trashed.file, zip];
    expect(files.filter((file) => !existsSync(file))).toEqual([]);

    expect((await api.call('DELETE', v1(`/workspaces/${workspace.id}`), { token })).status).toBe(204);
    await eventually(async () => (files.some((file) => existsSync(file)) ? undefined : true));
    expect(await Attachment.count({ where: { id: [live.id, trashed.id] } })).toBe(0);
  });
});
