import { Membership } from '@taskstack/db';
import express from 'express';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignJWT } from 'jose';
import { randomUUID } from 'node:crypto';
import { addMember, buildMember, buildUser, buildWorkspace } from '../../../test/factories.js';
import { registerThroughApi } from '../../../test/sessions.js';
import { startTestApi, type TestApi } from '../../../test/harness.js';
import { openEventStream } from '../../../test/sse-client.js';
import { EventHub } from '../../events/hub.js';
import { problemHandler } from '../../middlewares/problem.js';
import { eventsRoutes } from './router.js';

// The real API's heartbeat is 15 s; a second, bare events router on the same context beats every 50 ms.
let api: TestApi;
let hub: EventHub;
let server: Server;
let url: string;

beforeAll(async () => {
  api = await startTestApi();
  hub = new EventHub(api.context.redis, api.config.REDIS_PREFIX, api.context.logger);
  const app = express();
  eventsRoutes(api.context, hub, { heartbeatMs: 50 }).addTo(app);
  app.use(problemHandler);
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  hub.close();
  await api.close();
});

describe('event stream heartbeats and lifetime', () => {
  it('sends heartbeats, and ends the stream once the caller is no longer a member', async () => {
    const workspace = await buildWorkspace(await buildUser());
    const { user, token } = await buildMember(api, workspace, 'viewer');
    const stream = await openEventStream(`${url}/events?workspaceId=${workspace.id}&access_token=${token}`);
    try {
      expect(stream.status).toBe(200);
      await expect.poll(() => stream.comments.filter((c) => c === 'ping').length).toBeGreaterThanOrEqual(2);
      await Membership.destroy({ where: { userId: user.id, workspaceId: workspace.id } });
      await stream.closedByServer(2000);
    } finally {
      stream.close();
    }
  });

  it('ends the stream when its session ends (logout)', async () => {
    const account = await registerThroughApi(api);
    const workspace = await buildWorkspace(await buildUser());
    await addMember(workspace, account.user, 'viewer');
    const stream = await openEventStream(
      `${url}/events?workspaceId=${workspace.id}&access_token=${account.token}`,
    );
    try {
      expect(stream.status).toBe(200);
      const logout = await api.call('POST', '/api/v1/auth/logout', {
        headers: { cookie: `taskstack_refresh=${account.refresh}` },
      });
      expect(logout.status).toBe(204);
      await stream.closedByServer(2000);
    } finally {
      stream.close();
    }
  });

  it('ends the stream when the API token that opened it is revoked', async () => {
    const workspace = await buildWorkspace(await buildUser());
    const { token: session } = await buildMember(api, workspace, 'viewer');
    const created = await api.call('POST', '/api/v1/me/tokens', {
      token: session,
      body: { name: 'feed', scope: 'read', expiresInDays: 7, workspaceId: workspace.id },
    });
    const stream = await openEventStream(`${url}/events?workspaceId=${workspace.id}`, {
      authorization: `Bearer ${created.body.token}`,
    });
    try {
      expect(stream.status).toBe(200);
      await expect.poll(() => stream.comments.filter((c) => c === 'ping').length).toBeGreaterThanOrEqual(2);
      const revoked = await api.call('DELETE', `/api/v1/me/tokens/${created.body.apiToken.id}`, {
        token: session,
      });
      expect(revoked.status).toBe(204);
      await stream.closedByServer(2000);
    } finally {
      stream.close();
    }
  });

  it('ends the stream when the access token that opened it expires', async () => {
    const workspace = await buildWorkspace(await buildUser());
    const { user } = await buildMember(api, workspace, 'viewer');
    const shortLived = await new SignJWT({ sid: randomUUID() })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(user.id)
      .setAudience('taskstack')
      .setExpirationTime(Math.floor(Date.now() / 1000) + 2)
      .sign(new TextEncoder().encode(api.config.JWT_SECRET));
    const stream = await openEventStream(
      `${url}/events?workspaceId=${workspace.id}&access_token=${shortLived}`,
    );
    try {
      expect(stream.status).toBe(200);
      await stream.closedByServer(4000);
    } finally {
      stream.close();
    }
  });
});
