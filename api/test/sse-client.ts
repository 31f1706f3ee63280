import { get, type ClientRequest, type IncomingMessage } from 'node:http';

/** One Server-Sent Event as a client sees it. */
export type SseEvent = { id?: string; event: string; data: string };

/**
 * A minimal EventSource over fetch for tests: collects events as they arrive, lets a test wait for one, and
 * reports when the server ends the stream.
 */
export async function openEventStream(url: string, headers: Record<string, string> = {}) {
  // node:http rather than fetch: destroying its request closes the socket at once, as a browser's
  // EventSource.close() does, where fetch may keep an aborted connection around.
  const { request, response } = await new Promise<{ request: ClientRequest; response: IncomingMessage }>(
    (resolve, reject) => {
      const request = get(url, { headers }, (response) => resolve({ request, response }));
      request.on('error', reject);
    },
  );
  const events: SseEvent[] = [];
  /** Comment lines (heartbeats). */
  const comments: string[] = [];
  const waiters: Array<() => void> = [];
  let ended = false;
  const notify = () => waiters.splice(0).forEach((wake) => wake());

  void (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of response) {
        buffer += decoder.decode(chunk as Uint8Array, { stream: true });
        let split: number;
        while ((split = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, split);
          buffer = buffer.slice(split + 2);
          const event: SseEvent = { event: 'message', data: '' };
          let hasData = false;
          if (block.startsWith(':')) comments.push(block.slice(1).trim());
          for (const line of block.split('\n')) {
            const [field, ...rest] = line.split(':');
            const value = rest.join(':').replace(/^ /, '');
            if (field === 'id') event.id = value;
            if (field === 'event') event.event = value;
            if (field === 'data') {
              event.data += value;
              hasData = true;
            }
          }
          if (hasData) events.push(event);
        }
        notify();
      }
    } catch {
      // destroyed by close()
    }
    ended = true;
    notify();
  })();

  /** Resolves with the first collected event matching `predicate`, or rejects after `timeoutMs`. */
  async function next(predicate: (event: SseEvent) => boolean, timeoutMs = 5000): Promise<SseEvent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = events.find(predicate);
      if (found) return found;
      if (ended) throw new Error('stream ended');
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no matching event within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Resolves once the server has ended the stream. */
  async function closedByServer(timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!ended) {
      if (Date.now() > deadline) throw new Error('stream still open');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  return {
    status: response.statusCode,
    headers: response.headers,
    events,
    comments,
    next,
    closedByServer,
    close: () => request.destroy(),
  };
}
