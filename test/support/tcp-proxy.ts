import net, { type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * A loopback TCP proxy in front of PostgreSQL, so a test can take "the database" away and give
 * it back without touching the real server: cleanly (stop: connections cut and refused) or
 * silently (partition: packets dropped, sockets left open, as a broken network does).
 */
export class TcpProxy {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  // Caught in a partition: never forwarded again, destroyed only by stop().
  private readonly dead = new Set<Socket>();
  private partitioned = false;
  port = 0;

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  /**
   * From now on nothing passes: open connections stay open but every byte is dropped, new ones are
   * accepted and never answered. Like a real partition, the dropped connections never recover.
   */
  partition(): void {
    this.partitioned = true;
    for (const socket of this.sockets) {
      socket.unpipe();
      socket.removeAllListeners('data');
      socket.on('data', () => undefined);
      this.dead.add(socket);
    }
    this.sockets.clear();
  }

  /** New connections pass again (the ones caught in the partition stay dead, never closed). */
  heal(): void {
    this.partitioned = false;
  }

  async start(port = this.port): Promise<number> {
    const server = net.createServer((client) => {
      if (this.partitioned) {
        client.on('data', () => undefined);
        client.on('error', () => undefined);
        this.dead.add(client);
        return;
      }
      const upstream = net.connect(this.targetPort, this.targetHost);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => socket.destroy());
      }
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
    return this.port;
  }

  /** Refuses new connections and cuts every open one. */
  async stop(): Promise<void> {
    for (const socket of [...this.sockets, ...this.dead]) socket.destroy();
    this.dead.clear();
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
