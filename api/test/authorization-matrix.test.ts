/**
 * The authorization matrix: every workspace-scoped route × every role, plus a caller from another workspace, all
 * generated from the one table below. A role at or above a row's minimum gets the success status, a lower role
 * 403, and an outsider (who owns a workspace of their own) 404 — the ids are foreign to them. Each cell gets a
 * fresh world, so deleting in one cell cannot change another.
 */
import { Comment, Invitation, type Role, type User } from '@taskstack/db';
import {
  finishTransfer,
  insertDelivery,
  insertNotifications,
  insertTransfer,
  insertWebhook,
} from '@taskstack/db/repositories';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueSession } from '../src/commands/sessions.js';
import { buildLabel, buildProject, createTask } from './board-factories.js';
import { addMember, buildUser, buildWorkspace, tokenFor } from './factories.js';
import { startTestApi, type TestApi } from './harness.js';

let api: TestApi;
const filesDir = mkdtempSync(join(tmpdir(), 'taskstack-matrix-files-'));
beforeAll(async () => {
  // An unreachable provider (port 9): the signed-out OIDC routes run their handlers (see the end of this file).
  api = await startTestApi({
    STORAGE_DIR: filesDir,
    OIDC_ISSUER: 'http://127.0.0.1:9',
    OIDC_CLIENT_ID: 'matrix',
    OIDC_CLIENT_SECRET: 'matrix',
  });
});
afterAll(async () => {
  await api.close();
  rmSync(filesDir, { recursive: true, force: true });
});

const ROLES = ['owner', 'admin', 'member', 'viewer'] as const satisfies readonly Role[];
type Actor = Role | 'outsider';
const RANK: Record<Role, number> = { viewer: 0, member: 1, admin: 2, owner: 3 };

/** One workspace with a member of every role, a spare member to act on, and an outsider with their own workspace. */
async function buildWorld() {
  const owner = await buildUser();
  const workspace = await buildWorkspace(owner);
  const users = { owner } as Record<Role, User>;
  for (const role of ['admin', 'member', 'viewer'] as const) {
    users[role] = await buildUser();
    await addMember(workspace, users[role], role);
  }
  const spare = await buildUser();
  await addMember(workspace, spare, 'member');
  const outsider = await buildUser();
  await buildWorkspace(outsider);
  const tokens = {} as Record<Actor, string>;
  for (const role of ROLES) tokens[role] = await tokenFor(api, users[role]);
  tokens.outsider = await tokenFor(api, outsider);
  const ownerToken = tokens.owner;
  return { workspace, users, spare, tokens, ownerToken };
}
type World = Awaited<ReturnType<typeof buildWorld>>;

type Row = {
  /** `METHOD /path` as documented; the test name. */
  route: string;
  minimum: Role;
  success: number;
  /** Creates whatever the route acts on and returns the concrete path (and a JSON body or a multipart form). */
  target: (world: World, actor: Actor) => Promise<{ path: string; body?: unknown; form?: FormData }>;
};

const ws = (w: World) => `/workspaces/${w.workspace.id}`;

/** A personal API token issued through the API by the holder of `session`. */
async function issueToken(w: World, session: string, scope: 'read' | 'write', workspaceId = w.workspace.id) {
  const res = await api.call('POST', '/api/v1/me/tokens', {
    token: session,
    body: { name: 'matrix', scope, expiresInDays: 7, workspaceId },
  });
  if (res.status !== 201) throw new Error(`issueToken: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { token: string; apiToken: { id: string } };
}
const task = async (w: World) => createTask(api, w.ownerToken, await buildProject(w.workspace));
const checklistItem = async (w: World) => {
  const res = await api.call('POST', `/api/v1/tasks/${(await task(w)).id}/checklist`, {
    token: w.ownerToken,
    body: { text: 'Item' },
  });
  return res.body.id as string;
};
/** A task of a new project that the owner made repeat weekly. */
const repeatingTask = async (w: World) => {
  const { id } = await task(w);
  await api.call('PUT', `/api/v1/tasks/${id}/recurrence`, {
    token: w.ownerToken,
    body: { frequency: 'weekly' },
  });
  return id;
};
/** A view the owner saved and shared with a new project of the workspace. */
const sharedView = async (w: World) => {
  const res = await api.call('POST', `/api/v1/projects/${(await buildProject(w.workspace)).id}/views`, {
    token: w.ownerToken,
    body: { name: `Shared ${randomUUID()}`, view: 'list', shared: true },
  });
  return res.body.id as string;
};
/** A task the owner created and moved to the trash. */
const trashedTask = async (w: World) => {
  const { id } = await task(w);
  await api.call('DELETE', `/api/v1/tasks/${id}`, { token: w.ownerToken });
  return id;
};
/** A finished export of the workspace with its zip in storage (what the worker leaves). */
const finishedExport = async (w: World) => {
  const transfer = await insertTransfer(api.context.sql, {
    id: randomUUID(),
    workspaceId: w.workspace.id,
    kind: 'export',
    createdBy: w.users.owner.id,
  });
  const fileKey = `${w.workspace.id}/${transfer.id}/${randomUUID()}`;
  mkdirSync(dirname(join(filesDir, fileKey)), { recursive: true });
  writeFileSync(join(filesDir, fileKey), 'PK');
  await finishTransfer(api.context.sql, transfer.id, {
    fileKey,
    fileName: 'export.zip',
    fileSize: 2,
    expiresAt: new Date(Date.now() + 3600_000),
  });
  return transfer.id;
};
/** A webhook of the workspace (straight in the database: creating one is a row of its own). */
const webhook = async (w: World) =>
  (
    await insertWebhook(api.context.sql, api.context.keyring, {
      workspaceId: w.workspace.id,
      url: 'https://hooks.example.com/in',
      description: '',
      events: ['task.created'],
      secret: 'whsec_matrix',
      createdBy: w.users.owner.id,
    })
  ).id;
const fileForm = () => {
  const form = new FormData();
  form.append('file', new Blob(['hello'], { type: 'text/plain' }), 'hello.txt');
  return form;
};

const TABLE: Row[] = [
  // Identity: workspaces, members, invitations.
  { route: 'GET /workspaces/:id', minimum: 'viewer', success: 200, target: async (w) => ({ path: ws(w) }) },
  {
    route: 'PATCH /workspaces/:id',
    minimum: 'owner',
    success: 200,
    target: async (w) => ({ path: ws(w), body: { name: 'Renamed' } }),
  },
  { route: 'DELETE /workspaces/:id', minimum: 'owner', success: 204, target: async (w) => ({ path: ws(w) }) },
  {
    // Lifting the requirement: requiring two-factor also needs the owner's own, which api/src/routes/totp tests.
    route: 'PATCH /workspaces/:id/security',
    minimum: 'owner',
    success: 200,
    target: async (w) => ({ path: `${ws(w)}/security`, body: { requireTotp: false } }),
  },
  {
    route: 'GET /workspaces/:id/members',
    minimum: 'viewer',
    success: 200,
    target: async (w) => ({ path: `${ws(w)}/members` }),
  },
  {
    route: 'PATCH /workspaces/:id/members/:userId',
    minimum: 'admin',
    success: 200,
    target: async (w) => ({ path: `${ws(w)}/members/${w.spare.id}`, body: { role: 'viewer' } }),
  },
  {
    route: 'DELETE /workspaces/:id/members/:userId',
    minimum: 'admin',
    success: 204,
    target: async (w) => ({ path: `${ws(w)}/members/${w.spare.id}` }),
  },
  {
    route: 'POST /workspaces/:id/invitations',
    minimum: 'admin',
    success: 201,
    target: async (w) => ({
      path: `${ws(w)}/invitations`,
      body: { email: 'new@example.com', role: 'member' },
    }),
  },
  {
    route: 'GET /workspaces/:id/invitations',
    minimum: 'admin',
    success: 200,
    target: async (w) => ({ path: `${ws(w)}/invitations` }),
  },
  {
    route: 'DELETE /workspaces/:id/invitations/:invitationId',
    minimum: 'admin',
    success: 204,
    target: async (w) => {
      const invitation = await Invitation.create({
        workspaceId: w.workspace.id,
        email: 'pending@example.com',
        role: 'viewer',
        tokenHash: `hash-${w.workspace.id}`,
        invitedById: w.users.owner.id,
        expiresAt: new Date(Date.now() + 3600_000),
      });
      return { path: `${ws(w)}/invitations/${invitation.id}` };
    },
  },

  // Webhooks: admins and owners only (they send the workspace's activity out and hold a signing secret).
  {
    route: 'GET /workspaces/:id/webhooks',
    minimum: 'admin',
    success: 200,
    target: async (w) => ({ path: `${ws(w)}/webhooks` }),
  },
  {
    route: 'POST /workspaces/:id/webhooks',
    minimum: 'admin',
    success: 201,
    target: async (w) => ({ path: `${ws(w)}/webhooks`, body: { url: 'https://hooks.example.com/new' } }),
  },
  {
    route: 'PATCH /workspaces/:id/webhooks/:webhookId',
    minimum: 'admin',
    success: 200,
    target: async (w) => ({ path: `${ws(w)}/webhooks/${await webhook(w)}`, body: { active: false } }),
  },
  {
    // Pointing a webhook elsewhere sends the workspace's activity there: as guarded as adding one.
    route: 'PATCH /workspaces/:id/webhooks/:webhookId (address and events)',
    minimum: 'admin',
    success: 200,
    target: async (w) => ({
      path: `${ws(w)}/webhooks/${await webhook(w)}`,
      body: { url: 'https://hooks.example.com/moved', events: ['comment.created'] },
    }),
  },
  {
    route: 'DELETE /workspaces/:id/webhooks/:webhookId',
    minimum: 'admin',
    success: 204,
    target: async (w) => ({ path: `${ws(w)}/webhooks/${await webhook(w)}` }),
  },
  {
    route: 'POST /workspaces/:id/webhooks/:webhookId/secret',
    minimum: 'admin',
    success: 200,
    target: async (w) => ({ path: `${ws(w)}/webhooks/${await webhook(w)}/secret` }),
  },
  {
    route: 'GET /workspaces/:id/webhooks/:webhookId/deliveries',
    minimum: 'admin',
    success: 200,
    target: async (w) => ({ path: `${ws(w)}/webhooks/${await webhook(w)}/deliveries` }),
  },
  {
    route: 'POST /workspaces/:id/webhooks/:webhookId/deliveries/:deliveryId/replay',
    minimum: 'admin',
    success: 202,
    target: async (w) => {
      const webhookId = await webhook(w);
      const delivery = await insertDelivery(api.context.sql, {
        webhookId,
        eventId: '1-0',
        eventType: 'task.created',
        trigger: 'event',
        body: '{}',
      });
      return { path: `${ws(w)}/webhooks/${webhookId}/deliveries/${delivery.id}/replay` };
    },
  },
  {
    route: 'POST /workspaces/:id/webhooks/:webhookId/ping',
    minimum: 'admin',
    success: 202,
    target: async (w) => ({ path: `${ws(w)}/webhooks/${await webhook(w)}/ping` }),
  },

  // Import and export: admins only.
  {
    route: 'GET /workspaces/:id/transfers',
    minimum: 'admin',
    success: 200,
    target: async (w) => ({ path: `${ws(w)}/transfers` }),
  },
  {
    route: 'GET /workspaces/:id/transfers/:transferId',
    minimum: 'admin',
    success: 200,
    target: async (w) => ({ path: `${ws(w)}/transfers/${await finishedExport(w)}` }),
  },
  {
    route: 'GET /workspaces/:id/transfers/:transferId/download',
    minimum: 'admin',
    success: 200,
    target: async (w) => ({ path: `${ws(w)}/transfers/${await finishedExport(w)}/download` }),
  },
  {
    route: 'POST /workspaces/:id/exports',
    minimum: 'admin',
    success: 202,
    target: async (w) => ({ path: `${ws(w)}/exports` }),
  },
  {
    route: 'POST /workspaces/:id/imports',
    minimum: 'admin',
    success: 202,
    target: async (w) => ({ path: `${ws(w)}/imports?source=trello`, form: fileForm() }),
  },

  // Personal API tokens: any member may issue one for the workspace; each revokes only their own.
  {
    route: 'POST /me/tokens',
    minimum: 'viewer',
    success: 201,
    target: async (w) => ({
      path: '/me/tokens',
      body: { name: 'script', scope: 'read', expiresInDays: 7, workspaceId: w.workspace.id },
    }),
  },
  {
    // The outsider aims at the member's token.
    route: 'DELETE /me/tokens/:id',
    minimum: 'viewer',
    success: 204,
    target: async (w, actor) => {
      const holder = actor === 'outsider' ? 'member' : actor;
      const { apiToken } = await issueToken(w, w.tokens[holder], 'read');
      return { path: `/me/tokens/${apiToken.id}` };
    },
  },

  // The iCal feed is the caller's own: each revokes theirs; the outsider, who has none, gets 404 (creating one is
  // open to every signed-in user, so POST /me/calendar-feed is exempt below; the feed itself is in calendar.test).
  {
    route: 'DELETE /me/calendar-feed',
    minimum: 'viewer',
    success: 204,
    target: async (w, actor) => {
      const holder = actor === 'outsider' ? 'member' : actor;
      const res = await api.call('POST', '/api/v1/me/calendar-feed', {
        token: w.tokens[holder],
        body: { timeZone: 'UTC' },
      });
      if (res.status !== 201) throw new Error(`calendar feed: ${res.status}`);
      return { path: '/me/calendar-feed' };
    },
  },
  {
    route: 'GET /workspaces/:id/my-tasks',
    minimum: 'viewer',
    success: 200,
    target: async (w) => ({
      path: `${ws(w)}/my-tasks?dueFrom=2030-01-01T00:00:00Z&dueBefore=2030-02-01T00:00:00Z`,
    }),
  },

  {
    // Each ends a session of their own; the outsider aims at the member's.
    route: 'DELETE /me/sessions/:id',
    minimum: 'viewer',
    success: 204,
    target: async (w, actor) => {
      const holder = w.users[actor === 'outsider' ? 'member' : actor];
      const familyId = randomUUID();
      await issueSession(api.context, holder.id, { userAgent: 'matrix', ipAddress: '127.0.0.1' }, familyId);
      return { path: `/me/sessions/${familyId}` };
    },
  },

  // The inbox: each member reads and marks their own; the outsider aims at the member's item.
  {
    route: 'POST /workspaces/:id/inbox/read',
    minimum: 'viewer',
    success: 200,
    target: async (w) => ({ path: `${ws(w)}/inbox/read` }),
  },
  {
    route: 'PATCH /me/inbox/:id',
    minimum: 'viewer',
    success: 200,
    target: async (w, actor) => {
      const holder = w.users[actor === 'outsider' ? 'member' : actor];
      const [item] = await insertNotifications(api.context.sql, [
        {
          userId: holder.id,
          workspaceId: w.workspace.id,
          kind: 'due_soon',
          taskId: null,
          actorId: null,
          excerpt: '',
        },
      ]);
      return { path: `/me/inbox/${item!.id}`, body: { read: true } };
    },
  },

  // Board: projects, labels, tasks, comments.
  {
    route: 'POST /workspaces/:id/projects',
    minimum: 'admin',
    success: 201,
    target: async (w) => ({ path: `${ws(w)}/projects`, body: { name: 'New project' } }),
  },
  {
    route: 'PATCH /projects/:id',
    minimum: 'admin',
    success: 200,
    target: async (w) => ({
      path: `/projects/${(await buildProject(w.workspace)).id}`,
      body: { name: 'Renamed' },
    }),
  },
  {
    route: 'DELETE /projects/:id',
    minimum: 'admin',
    success: 204,
    target: async (w) => ({ path: `/projects/${(await buildProject(w.workspace)).id}` }),
  },
  {
    route: 'POST /workspaces/:id/labels',
    minimum: 'admin',
    success: 201,
    target: async (w) => ({ path: `${ws(w)}/labels`, body: { name: 'urgent', color: '#aa0000' } }),
  },
  {
    route: 'PATCH /labels/:id',
    minimum: 'admin',
    success: 200,
    target: async (w) => ({
      path: `/labels/${(await buildLabel(w.workspace)).id}`,
      body: { name: 'renamed' },
    }),
  },
  {
    route: 'DELETE /labels/:id',
    minimum: 'admin',
    success: 204,
    target: async (w) => ({ path: `/labels/${(await buildLabel(w.workspace)).id}` }),
  },
  // Saved views: sharing one needs member+; a shared view is changed by admins (and whoever saved it).
  {
    route: 'POST /projects/:id/views',
    minimum: 'member',
    success: 201,
    target: async (w) => ({
      path: `/projects/${(await buildProject(w.workspace)).id}/views`,
      body: { name: 'Shared', view: 'board', shared: true },
    }),
  },
  {
    route: 'PATCH /views/:id',
    minimum: 'admin',
    success: 200,
    target: async (w) => ({ path: `/views/${await sharedView(w)}`, body: { name: 'Renamed' } }),
  },
  {
    route: 'DELETE /views/:id',
    minimum: 'admin',
    success: 204,
    target: async (w) => ({ path: `/views/${await sharedView(w)}` }),
  },
  // Recurring tasks: viewers read a rule, members set or stop it, admins set the workspace's time zone.
  {
    route: 'GET /tasks/:id/recurrence',
    minimum: 'viewer',
    success: 200,
    target: async (w) => ({ path: `/tasks/${await repeatingTask(w)}/recurrence` }),
  },
  {
    route: 'PUT /tasks/:id/recurrence',
    minimum: 'member',
    success: 200,
    target: async (w) => ({ path: `/tasks/${(await task(w)).id}/recurrence`, body: { frequency: 'daily' } }),
  },
  {
    route: 'DELETE /tasks/:id/recurrence',
    minimum: 'member',
    success: 204,
    target: async (w) => ({ path: `/tasks/${await repeatingTask(w)}/recurrence` }),
  },
  {
    route: 'GET /projects/:id/recurring-tasks',
    minimum: 'viewer',
    success: 200,
    target: async (w) => ({ path: `/projects/${(await buildProject(w.workspace)).id}/recurring-tasks` }),
  },
  {
    route: 'GET /workspaces/:id/time-zone',
    minimum: 'viewer',
    success: 200,
    target: async (w) => ({ path: `${ws(w)}/time-zone` }),
  },
  {
    route: 'PUT /workspaces/:id/time-zone',
    minimum: 'admin',
    success: 200,
    target: async (w) => ({ path: `${ws(w)}/time-zone`, body: { timeZone: 'Europe/Berlin' } }),
  },
  {
    route: 'POST /projects/:id/tasks',
    minimum: 'member',
    success: 201,
    target: async (w) => ({
      path: `/projects/${(await buildProject(w.workspace)).id}/tasks`,
      body: { title: 'T' },
    }),
  },
  {
    route: 'PATCH /tasks/:id',
    minimum: 'member',
    success: 200,
    target: async (w) => ({ path: `/tasks/${(await task(w)).id}`, body: { title: 'Edited' } }),
  },
  {
    route: 'POST /tasks/:id/move',
    minimum: 'member',
    success: 200,
    target: async (w) => ({ path: `/tasks/${(await task(w)).id}/move`, body: { status: 'done' } }),
  },
  {
    route: 'DELETE /tasks/:id',
    minimum: 'member',
    success: 204,
    target: async (w) => ({ path: `/tasks/${(await task(w)).id}` }),
  },
  {
    route: 'POST /tasks/:id/comments',
    minimum: 'member',
    success: 201,
    target: async (w) => ({ path: `/tasks/${(await task(w)).id}/comments`, body: { body: 'Hello' } }),
  },
  {
    // The actor's own comment (authors edit their own, if their role still allows commenting).
    route: 'PATCH /comments/:id',
    minimum: 'member',
    success: 200,
    target: async (w, actor) => {
      const author = actor === 'outsider' ? w.users.member : w.users[actor];
      const comment = await Comment.create({ taskId: (await task(w)).id, authorId: author.id, body: 'Mine' });
      return { path: `/comments/${comment.id}`, body: { body: 'Edited' } };
    },
  },
  {
    // Someone else's comment: only admins and owners may delete it.
    route: 'DELETE /comments/:id',
    minimum: 'admin',
    success: 204,
    target: async (w) => {
      const comment = await Comment.create({
        taskId: (await task(w)).id,
        authorId: w.spare.id,
        body: 'Theirs',
      });
      return { path: `/comments/${comment.id}` };
    },
  },

  {
    route: 'POST /projects/:id/tasks/bulk',
    minimum: 'member',
    success: 200,
    target: async (w) => {
      const project = await buildProject(w.workspace);
      const { id } = await createTask(api, w.ownerToken, project);
      return { path: `/projects/${project.id}/tasks/bulk`, body: { ids: [id], changes: { status: 'done' } } };
    },
  },
  // Board: subtasks and checklists.
  {
    route: 'GET /tasks/:id/subtasks',
    minimum: 'viewer',
    success: 200,
    target: async (w) => ({ path: `/tasks/${(await task(w)).id}/subtasks` }),
  },
  {
    route: 'POST /tasks/:id/subtasks',
    minimum: 'member',
    success: 201,
    target: async (w) => ({ path: `/tasks/${(await task(w)).id}/subtasks`, body: { title: 'Step' } }),
  },
  {
    route: 'PUT /tasks/:id/parent',
    minimum: 'member',
    success: 200,
    target: async (w) => {
      const project = await buildProject(w.workspace);
      const parent = await createTask(api, w.ownerToken, project);
      const child = await createTask(api, w.ownerToken, project);
      return { path: `/tasks/${child.id}/parent`, body: { parentId: parent.id } };
    },
  },
  {
    route: 'DELETE /tasks/:id/parent',
    minimum: 'member',
    success: 200,
    target: async (w) => {
      const parent = await task(w);
      const child = await api.call('POST', `/api/v1/tasks/${parent.id}/subtasks`, {
        token: w.ownerToken,
        body: { title: 'Step' },
      });
      return { path: `/tasks/${child.body.id}/parent` };
    },
  },
  {
    route: 'GET /tasks/:id/checklist',
    minimum: 'viewer',
    success: 200,
    target: async (w) => ({ path: `/tasks/${(await task(w)).id}/checklist` }),
  },
  {
    route: 'POST /tasks/:id/checklist',
    minimum: 'member',
    success: 201,
    target: async (w) => ({ path: `/tasks/${(await task(w)).id}/checklist`, body: { text: 'Item' } }),
  },
  {
    route: 'PATCH /checklist-items/:id',
    minimum: 'member',
    success: 200,
    target: async (w) => ({ path: `/checklist-items/${await checklistItem(w)}`, body: { done: true } }),
  },
  {
    route: 'POST /checklist-items/:id/move',
    minimum: 'member',
    success: 200,
    target: async (w) => ({ path: `/checklist-items/${await checklistItem(w)}/move`, body: { index: 0 } }),
  },
  {
    route: 'DELETE /checklist-items/:id',
    minimum: 'member',
    success: 204,
    target: async (w) => ({ path: `/checklist-items/${await checklistItem(w)}` }),
  },

  // The trash: whoever may delete an item restores it; admins purge and set the retention.
  {
    route: 'GET /workspaces/:id/trash',
    minimum: 'member',
    success: 200,
    target: async (w) => ({ path: `${ws(w)}/trash` }),
  },
  {
    route: 'GET /workspaces/:id/trash/retention',
    minimum: 'member',
    success: 200,
    target: async (w) => ({ path: `${ws(w)}/trash/retention` }),
  },
  {
    route: 'PUT /workspaces/:id/trash/retention',
    minimum: 'admin',
    success: 200,
    target: async (w) => ({ path: `${ws(w)}/trash/retention`, body: { retentionDays: 14 } }),
  },
  {
    route: 'POST /trash/:kind/:id/restore',
    minimum: 'member',
    success: 204,
    target: async (w) => ({ path: `/trash/task/${await trashedTask(w)}/restore` }),
  },
  {
    route: 'POST /trash/:kind/:id/restore (a project)',
    minimum: 'admin',
    success: 204,
    target: async (w) => {
      const project = await buildProject(w.workspace);
      await api.call('DELETE', `/api/v1/projects/${project.id}`, { token: w.ownerToken });
      return { path: `/trash/project/${project.id}/restore` };
    },
  },
  {
    // Someone else's comment: restored by whoever may delete it, admins and owners.
    route: "POST /trash/:kind/:id/restore (another's comment)",
    minimum: 'admin',
    success: 204,
    target: async (w) => {
      const comment = await Comment.create({
        taskId: (await task(w)).id,
        authorId: w.spare.id,
        body: 'Theirs',
      });
      await api.call('DELETE', `/api/v1/comments/${comment.id}`, { token: w.ownerToken });
      return { path: `/trash/comment/${comment.id}/restore` };
    },
  },
  {
    route: 'DELETE /trash/:kind/:id',
    minimum: 'admin',
    success: 204,
    target: async (w) => ({ path: `/trash/task/${await trashedTask(w)}` }),
  },

  // Board: attachments.
  {
    route: 'POST /tasks/:id/attachments',
    minimum: 'member',
    success: 201,
    target: async (w) => ({ path: `/tasks/${(await task(w)).id}/attachments`, form: fileForm() }),
  },
  {
    route: 'DELETE /attachments/:id',
    minimum: 'member',
    success: 204,
    target: async (w) => {
      const uploaded = await api.call('POST', `/api/v1/tasks/${(await task(w)).id}/attachments`, {
        token: w.ownerToken,
        rawBody: fileForm(),
      });
      return { path: `/attachments/${uploaded.body.id}` };
    },
  },
];

/** What `actor` must get on `row`. */
function expected(row: Row, actor: Actor): number {
  if (actor === 'outsider') return 404;
  return RANK[actor] >= RANK[row.minimum] ? row.success : 403;
}

describe('authorization matrix', () => {
  it.each(TABLE.map((row) => [row.route, row] as const))('%s', async (_name, row) => {
    const method = row.route.split(' ')[0]!;
    const outcomes: Record<string, number> = {};
    const wanted: Record<string, number> = {};
    for (const actor of [...ROLES, 'outsider'] as const) {
      const world = await buildWorld();
      const { path, body, form } = await row.target(world, actor);
      const res = await api.call(method, `/api/v1${path}`, {
        token: world.tokens[actor],
        body,
        rawBody: form,
      });
      outcomes[actor] = res.status;
      wanted[actor] = expected(row, actor);
      if (res.status >= 400) expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
    }
    expect(outcomes).toEqual(wanted);
  });

  /**
   * The same rows called with the owner's personal API tokens instead of a session. Where the OpenAPI document lists
   * `apiToken` for the operation, a write token for the workspace gets the success status, a read token the same on
   * reads open to viewers and 403 otherwise, and a write token for another workspace the owner also owns 404.
   * Elsewhere every token is 403.
   */
  it.each(TABLE.map((row) => [row.route, row] as const))('%s with API tokens', async (_name, row) => {
    const [method, route] = row.route.split(' ') as [string, string];
    const doc = (await api.call('GET', '/api/v1/openapi.json')).body as {
      paths: Record<string, Record<string, { security: Record<string, unknown>[] }>>;
    };
    const operation = doc.paths[route.replace(/:(\w+)/g, '{$1}')]![method.toLowerCase()]!;
    const accepted = operation.security.some((requirement) => 'apiToken' in requirement);
    const outcomes: Record<string, number> = {};
    const wanted: Record<string, number> = {};
    for (const kind of ['write', 'read', 'elsewhere'] as const) {
      const world = await buildWorld();
      const other = await buildWorkspace(world.users.owner);
      const workspaceId = kind === 'elsewhere' ? other.id : world.workspace.id;
      const { token } = await issueToken(
        world,
        world.ownerToken,
        kind === 'read' ? 'read' : 'write',
        workspaceId,
      );
      const { path, body, form } = await row.target(world, 'owner');
      const res = await api.call(method, `/api/v1${path}`, { token, body, rawBody: form });
      outcomes[kind] = res.status;
      const readable = method === 'GET' && row.minimum === 'viewer';
      wanted[kind] = !accepted
        ? 403
        : { write: row.success, read: readable ? row.success : 403, elsewhere: 404 }[kind];
      if (res.status >= 400) expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
    }
    expect(outcomes).toEqual(wanted);
  });

  it('covers every documented workspace-scoped mutating route', async () => {
    const doc = (await api.call('GET', '/api/v1/openapi.json')).body as {
      paths: Record<string, Record<string, unknown>>;
    };
    // Routes outside any workspace (auth, the caller's own two-factor, notification preferences and iCal feed, creating a
    // workspace, invitation links, instance admin) have their own tests.
    const exempt =
      /^(POST \/auth|POST \/me\/totp|PUT \/me\/notification-preferences$|POST \/me\/calendar-feed$|POST \/workspaces$|POST \/invitations|POST \/admin)/;
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops)
        .filter((method) => method !== 'get')
        .map((method) => `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`),
    );
    const missing = documented.filter(
      (route) => !exempt.test(route) && !TABLE.some((r) => r.route === route),
    );
    expect(missing, 'add a row for each of these to TABLE in test/authorization-matrix.test.ts').toEqual([]);
  });
});

/**
 * The sign-in routes act on no workspace and take no token: every role, an outsider and a caller without a token
 * get the same answer, so a session (or a stolen one) changes nothing about where they send a browser.
 */
describe('signed-out sign-in routes', () => {
  const PUBLIC: { route: string; path: string; status: number; location?: string }[] = [
    { route: 'GET /auth/methods', path: '/auth/methods', status: 200 },
    // Discovery at the unreachable provider fails: back to the sign-in page.
    {
      route: 'GET /auth/oidc/start',
      path: '/auth/oidc/start?redirect=/projects',
      status: 302,
      location: '/signin?oidc_error=unavailable&redirect=%2Fprojects',
    },
    // No flow cookie: nothing to complete, whoever asks.
    {
      route: 'GET /auth/oidc/callback',
      path: '/auth/oidc/callback?code=c&state=s',
      status: 302,
      location: '/signin?oidc_error=expired',
    },
  ];
  it.each(PUBLIC.map((row) => [row.route, row] as const))('%s', async (_name, row) => {
    const world = await buildWorld();
    const callers: [string, string | undefined][] = [
      ...[...ROLES, 'outsider' as const].map((actor): [string, string] => [actor, world.tokens[actor]]),
      ['anonymous', undefined],
    ];
    for (const [actor, token] of callers) {
      const res = await fetch(`${api.url}/api/v1${row.path}`, {
        redirect: 'manual',
        headers: token ? { authorization: `Bearer ${token}` } : {},
      });
      expect(res.status, actor).toBe(row.status);
      if (row.location) expect(res.headers.get('location'), actor).toBe(row.location);
      expect(
        res.headers.getSetCookie().some((c) => c.startsWith('taskstack_refresh=')),
        actor,
      ).toBe(false);
    }
  });
});
