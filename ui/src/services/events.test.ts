// @vitest-environment node
import { afterEach, expect, it } from 'vitest';
import { startServer } from '../testing/server.js';
import { EventService, type BoardEvent, type StreamState } from './events.js';
import { HttpClient } from './http.js';

let close: (() => Promise<void>) | undefined;
afterEach(async () => close?.());

it('reads the stream with the bearer token and resumes from Last-Event-ID after a drop', async () => {
  const requests: { auth?: string; lastEventId?: string; url?: string }[] = [];
  const server = await startServer((req, res) => {
    requests.push({
      auth: req.headers.authorization,
      lastEventId: req.headers['last-event-id'] as string | undefined,
      url: req.url,
    });
    res.writeHead(200, { 'Content-Type': 'text/event-stream' });
    if (requests.length === 1) {
      // First connection: one event, then the connection drops (a restarted replica, say).
      res.end('retry: 20\n\n: hello\n\nid: 1-0\nevent: task.created\ndata: {"id":"t1","title":"First"}\n\n');
    } else {
      res.write('id: 2-0\nevent: task.moved\ndata: {"id":"t1","status":"done"}\n\n');
    }
  });
  close = server.close;
  const http = new HttpClient();
  http.configure(`${server.url}/api/v1`);
  http.setAccessToken('secret-token');

  const events: BoardEvent[] = [];
  const states: StreamState[] = [];
  const subscription = new EventService(http).subscribe('w1', {
    onEvent: (event) => events.push(event),
    onState: (state) => states.push(state),
  });
  await expect.poll(() => events.length, { timeout: 5000 }).toBe(2);
  subscription.close();

  expect(events.map((e) => [e.id, e.type])).toEqual([
    ['1-0', 'task.created'],
    ['2-0', 'task.moved'],
  ]);
  expect(events[1]!.data).toEqual({ id: 't1', status: 'done' });
  expect(requests[0]).toMatchObject({ auth: 'Bearer secret-token', url: '/api/v1/events?workspaceId=w1' });
  expect(requests[0]!.lastEventId).toBeUndefined();
  expect(requests[1]!.lastEventId).toBe('1-0');
  expect(states).toContain('reconnecting');
  await expect.poll(() => states.at(-1)).toBe('closed');
});
