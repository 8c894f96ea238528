import { once } from 'node:events';
import { createConnection, Socket } from 'node:net';
import { dialects, failure, randomKey, startApp, TestApp } from '../support/app';

jest.setTimeout(60_000);

/** A raw connection, to hold it open the way a slow or hostile client would. */
interface Held {
  socket: Socket;
  openedAt: number;
  /** Everything the server sent so far. */
  received(): string;
  /** When a whole response head had arrived. */
  responded: Promise<number>;
  /** When the server closed the connection. */
  closed: Promise<number>;
}

async function connect(test: TestApp): Promise<Held> {
  const socket = createConnection(test.port, '127.0.0.1');
  socket.on('error', () => undefined);
  await once(socket, 'connect');
  let data = '';
  const responded = new Promise<number>((resolve) =>
    socket.on('data', (chunk: Buffer) => {
      data += chunk.toString('latin1');
      if (data.includes('\r\n\r\n')) resolve(performance.now());
    }),
  );
  const closed = new Promise<number>((resolve) => {
    socket.once('end', () => resolve(performance.now()));
    socket.once('close', () => resolve(performance.now()));
  });
  return { socket, openedAt: performance.now(), received: () => data, responded, closed };
}

/** Sends `byte` every `everyMs` until stopped, as a client that trickles its request. */
function trickle(held: Held, byte: string, everyMs: number): () => void {
  const timer = setInterval(() => {
    if (!held.socket.destroyed && held.socket.writable) held.socket.write(byte);
  }, everyMs);
  return () => clearInterval(timer);
}

/** The moment `event` happened, or null if it has not within `ms`. */
function within(ms: number, event: Promise<number>): Promise<number | null> {
  return Promise.race([
    event,
    new Promise<null>((resolve) => setTimeout(() => resolve(null), ms).unref()),
  ]);
}

const HEAD = (method: string, path: string, headers: string[]) =>
  `${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n${headers.map((line) => `${line}\r\n`).join('')}\r\n`;

const REQUEST_TIMEOUT = {
  generalErrors: [{ code: '[requestTimeout]', message: 'The request was not received in time.' }],
};

function bodyOf(raw: string): unknown {
  return JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4)) as unknown;
}

describe.each(dialects())('a request refused at authentication, on %s', (dialect) => {
  let test: TestApp;

  // Default timeouts: whatever closes these connections is the refusal, not a timeout.
  beforeAll(async () => {
    test = await startApp(dialect);
  });
  afterAll(async () => {
    await test.close();
  });

  it.each([
    ['a declared 1 GB body', ['Content-Length: 1000000000'], '{'],
    ['a chunked body', ['Transfer-Encoding: chunked'], '100000\r\n{'],
  ])(
    'with %s trickling in gets its 401 and its connection closed at once, the body unread',
    async (_name, framing, start) => {
      const held = await connect(test);
      held.socket.write(
        HEAD('POST', '/api/tenant', [
          `Authorization: ${randomKey()}`,
          'Content-Type: application/json',
          ...framing,
        ]) + start,
      );
      const stop = trickle(held, ' ', 50);
      try {
        const respondedAt = await within(5_000, held.responded);
        expect(respondedAt).not.toBeNull();
        expect(held.received()).toMatch(/^HTTP\/1\.1 401 /);
        expect(held.received()).toMatch(/\r\nconnection: close\r\n/i);
        const closedAt = await within(5_000, held.closed);
        expect(closedAt).not.toBeNull();
        expect(closedAt! - respondedAt!).toBeLessThan(1_000);
      } finally {
        stop();
        held.socket.destroy();
      }
    },
  );

  it('answers the FusionAuth client its 401 every time, small body and all', async () => {
    const client = test.client(randomKey());
    for (let attempt = 0; attempt < 50; attempt++) {
      const refused = await failure(
        client.createTenant(null as unknown as string, { tenant: { name: `t-${attempt}` } }),
      );
      expect(refused.statusCode).toBe(401);
    }
  });

  it('answers a refused body of several hundred kilobytes its 401 every time', async () => {
    const body = JSON.stringify({ tenant: { name: 'x'.repeat(500_000) } });
    for (let attempt = 0; attempt < 20; attempt++) {
      const response = await test.http('/api/tenant', {
        key: randomKey(),
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      expect(response.status).toBe(401);
      expect(await response.text()).toBe('');
    }
  });

  it('keeps a refused request without a body on its keep-alive connection', async () => {
    const held = await connect(test);
    try {
      held.socket.write(HEAD('GET', '/api/tenant', [`Authorization: ${randomKey()}`]));
      await within(5_000, held.responded);
      expect(held.received()).toMatch(/^HTTP\/1\.1 401 /);
      expect(held.received()).not.toMatch(/\r\nconnection: close\r\n/i);
      held.socket.write(HEAD('GET', '/api/health', []));
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(held.received().match(/HTTP\/1\.1 \d+ /g)).toEqual(['HTTP/1.1 401 ', 'HTTP/1.1 200 ']);
    } finally {
      held.socket.destroy();
    }
  });
});

describe('HTTP timeouts', () => {
  const HEADERS_MS = 600;
  const REQUEST_MS = 1_200;
  const KEEP_ALIVE_MS = 800;
  /** How late a close may come on a loaded machine. */
  const SLACK_MS = 1_000;
  let test: TestApp;

  beforeAll(async () => {
    test = await startApp('sqlite', {
      env: {
        HTTP_HEADERS_TIMEOUT_MS: String(HEADERS_MS),
        HTTP_REQUEST_TIMEOUT_MS: String(REQUEST_MS),
        HTTP_KEEP_ALIVE_TIMEOUT_MS: String(KEEP_ALIVE_MS),
      },
    });
  });
  afterAll(async () => {
    await test.close();
  });

  it('closes an authenticated request whose body trickles in after the request timeout, with a 408', async () => {
    const held = await connect(test);
    held.socket.write(
      HEAD('POST', '/api/tenant', [
        `Authorization: ${test.managerKey}`,
        'Content-Type: application/json',
        'Content-Length: 100000',
      ]) + '{',
    );
    const stop = trickle(held, ' ', 100);
    try {
      const closedAt = await within(REQUEST_MS + SLACK_MS + 3_000, held.closed);
      expect(closedAt).not.toBeNull();
      expect(closedAt! - held.openedAt).toBeGreaterThanOrEqual(REQUEST_MS - 100);
      expect(closedAt! - held.openedAt).toBeLessThan(REQUEST_MS + SLACK_MS);
      expect(held.received()).toMatch(/^HTTP\/1\.1 408 /);
      expect(bodyOf(held.received())).toEqual(REQUEST_TIMEOUT);
    } finally {
      stop();
      held.socket.destroy();
    }
  });

  it('closes a connection whose request head trickles in after the headers timeout, with a 408', async () => {
    const held = await connect(test);
    held.socket.write(`GET /api/tenant HTTP/1.1\r\nHost: 127.0.0.1\r\n`);
    const stop = trickle(held, 'X-Slow: a\r\n', 100);
    try {
      const closedAt = await within(HEADERS_MS + SLACK_MS + 3_000, held.closed);
      expect(closedAt).not.toBeNull();
      expect(closedAt! - held.openedAt).toBeGreaterThanOrEqual(HEADERS_MS - 100);
      expect(closedAt! - held.openedAt).toBeLessThan(HEADERS_MS + SLACK_MS);
      expect(held.received()).toMatch(/^HTTP\/1\.1 408 /);
      expect(bodyOf(held.received())).toEqual(REQUEST_TIMEOUT);
    } finally {
      stop();
      held.socket.destroy();
    }
  });

  it('closes an idle keep-alive connection after the keep-alive timeout', async () => {
    const held = await connect(test);
    try {
      held.socket.write(HEAD('GET', '/api/health', []));
      const respondedAt = await within(5_000, held.responded);
      expect(held.received()).toMatch(/^HTTP\/1\.1 200 /);
      // Node keeps the socket one second past what it tells the client (Keep-Alive:
      // timeout=…), so that the client, not the server, is the one to give up first.
      const closedAt = await within(KEEP_ALIVE_MS + 1_000 + SLACK_MS + 3_000, held.closed);
      expect(closedAt).not.toBeNull();
      expect(closedAt! - respondedAt!).toBeGreaterThanOrEqual(KEEP_ALIVE_MS);
      expect(closedAt! - respondedAt!).toBeLessThan(KEEP_ALIVE_MS + 1_000 + SLACK_MS);
    } finally {
      held.socket.destroy();
    }
  });

  it('serves a slow request that arrives whole within the timeouts', async () => {
    const held = await connect(test);
    const body = JSON.stringify({ tenant: { name: `slow-${randomKey().slice(0, 8)}` } });
    try {
      held.socket.write(
        HEAD('POST', '/api/tenant', [
          `Authorization: ${test.managerKey}`,
          'Content-Type: application/json',
          `Content-Length: ${Buffer.byteLength(body)}`,
        ]),
      );
      // The body in four parts over about half the request timeout.
      for (let part = 0; part < 4; part++) {
        await new Promise((resolve) => setTimeout(resolve, REQUEST_MS / 8));
        held.socket.write(body.slice((part * body.length) / 4, ((part + 1) * body.length) / 4));
      }
      expect(await within(5_000, held.responded)).not.toBeNull();
      expect(held.received()).toMatch(/^HTTP\/1\.1 200 /);
    } finally {
      held.socket.destroy();
    }
  });
});
