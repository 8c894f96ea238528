import { createConnection, createServer, Server, Socket } from 'node:net';

/** How the proxy treats traffic: pass it, hold it (sockets stay open, nothing moves), or hold only replies. */
export type ProxyMode = 'forward' | 'blackhole' | 'holdReplies';

interface Pair {
  client: Socket;
  upstream: Socket;
}

/** Sees every chunk the client sends, per connection, whatever the mode (for counting statements). */
export type ClientTap = (connection: object, chunk: Buffer) => void;

/**
 * A TCP proxy on loopback for fault injection: `cut()` drops every connection and
 * refuses new ones, `restore()` listens again on the same port, `setMode()` stops
 * forwarding without closing (a half-open link) or holds the server's replies.
 */
export class TcpProxy {
  private server: Server | null = null;
  private readonly pairs = new Set<Pair>();
  private mode: ProxyMode = 'forward';
  private readonly held: { pair: Pair; chunk: Buffer; toClient: boolean }[] = [];
  private readonly taps: ClientTap[] = [];
  port = 0;

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  async start(port = 0): Promise<number> {
    const server = createServer((client) => this.accept(client));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.server = server;
    const address = server.address();
    this.port = typeof address === 'object' && address ? address.port : port;
    return this.port;
  }

  private accept(client: Socket): void {
    const upstream = createConnection(this.targetPort, this.targetHost);
    const pair = { client, upstream };
    this.pairs.add(pair);
    const relay = (chunk: Buffer, toClient: boolean) => {
      const hold = this.mode === 'blackhole' || (this.mode === 'holdReplies' && toClient);
      if (hold) this.held.push({ pair, chunk, toClient });
      else (toClient ? client : upstream).write(chunk);
    };
    client.on('data', (chunk: Buffer) => {
      for (const tap of this.taps) tap(pair, chunk);
      relay(chunk, false);
    });
    upstream.on('data', (chunk: Buffer) => relay(chunk, true));
    const close = () => {
      this.pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('close', close);
    upstream.on('close', close);
    client.on('error', close);
    upstream.on('error', close);
  }

  tapClient(tap: ClientTap): void {
    this.taps.push(tap);
  }

  /** Forwarding resumes; held bytes are delivered in order first. */
  setMode(mode: ProxyMode): void {
    this.mode = mode;
    if (mode === 'forward') {
      for (const { pair, chunk, toClient } of this.held.splice(0))
        (toClient ? pair.client : pair.upstream).write(chunk);
    }
  }

  /** Forgets what a blackhole held, as a network that lost it would (never delivered). */
  discardHeld(): void {
    this.held.length = 0;
  }

  /** Every connection reset, new ones refused. */
  async cut(): Promise<void> {
    const server = this.server;
    this.server = null;
    this.held.length = 0;
    for (const pair of this.pairs) {
      pair.client.resetAndDestroy();
      pair.upstream.destroy();
    }
    this.pairs.clear();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Listening again on the same port. */
  async restore(): Promise<void> {
    this.mode = 'forward';
    await this.start(this.port);
  }

  async stop(): Promise<void> {
    await this.cut();
  }
}
