// A loopback TCP proxy in front of PostgreSQL that counts what clients send, message by message
// (PostgreSQL frontend protocol): simple queries ('Q'), extended-protocol statements ('E'xecute)
// and round trips (each 'Q' or 'S'ync waits for the server). The webhook bench puts it between the
// product and the server to report statements per answered event.
import net, { type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface WireCounts {
  roundTrips: number;
  statements: number;
}

export class PgWireCounter {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  readonly counts: WireCounts = { roundTrips: 0, statements: 0 };

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  async start(): Promise<number> {
    this.server = net.createServer((client) => {
      const upstream = net.connect(this.targetPort, this.targetHost);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => socket.destroy());
      }
      let buffered: Buffer = Buffer.alloc(0);
      // The startup message (and an SSL request before it) has no type byte.
      let untyped = true;
      client.on('data', (chunk: Buffer) => {
        upstream.write(chunk);
        buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk]);
        for (;;) {
          if (untyped) {
            if (buffered.length < 8) break;
            const length = buffered.readInt32BE(0);
            if (buffered.length < length) break;
            const isSslRequest = length === 8 && buffered.readInt32BE(4) === 80877103;
            buffered = buffered.subarray(length);
            untyped = isSslRequest;
            continue;
          }
          if (buffered.length < 5) break;
          const length = buffered.readInt32BE(1);
          if (buffered.length < 1 + length) break;
          const type = String.fromCharCode(buffered[0]!);
          if (type === 'Q') {
            this.counts.roundTrips += 1;
            this.counts.statements += 1;
          } else if (type === 'S') this.counts.roundTrips += 1;
          else if (type === 'E') this.counts.statements += 1;
          buffered = buffered.subarray(1 + length);
        }
      });
      upstream.pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return (this.server.address() as AddressInfo).port;
  }

  snapshot(): WireCounts {
    return { ...this.counts };
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
