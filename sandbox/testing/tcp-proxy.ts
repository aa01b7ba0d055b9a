// A TCP relay in front of a real server, so a test can "crash" the server (reset every connection and
// refuse new ones) and bring it back, without stopping a database other tests are using. Used by the
// outage tests (reference test 37; tj/connect-redis#373, #159: stores must fail fast and recover).
import { connect, createServer, type Server, type Socket } from 'node:net';

export interface TcpProxy {
  /** 127.0.0.1:<port> of the relay. */
  readonly port: number;
  /** Resets every open connection and refuses new ones, like a server that died. */
  down(): void;
  /** Accepts connections again, like a server that came back. */
  up(): void;
  close(): Promise<void>;
}

export async function startTcpProxy(targetHost: string, targetPort: number): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  let isDown = false;
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {}); // a reset is what down() is for
  };
  const server: Server = createServer((client) => {
    track(client);
    if (isDown) {
      client.resetAndDestroy();
      return;
    }
    const upstream = connect(targetPort, targetHost);
    track(upstream);
    client.pipe(upstream).pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('proxy has no port');
  return {
    port: address.port,
    down() {
      isDown = true;
      for (const socket of sockets) socket.destroy();
    },
    up() {
      isDown = false;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
