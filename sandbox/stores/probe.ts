// Does a store's server answer? One quick connection, closed again. Used by the test helper (skip on a
// laptop, fail under CI) and by the site (a backend that is down is shown disabled, with the reason).
import type { ServerKind } from './locations.ts';

export type ProbedServer = Exclude<ServerKind, 'sqlite'>;

/** Resolves when the server accepts a connection within ~2 s; rejects with the driver's error otherwise. */
export async function probeServer(kind: ProbedServer, url: string): Promise<void> {
  if (kind === 'postgres') {
    const { default: pg } = await import('pg');
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
    await client.connect();
    await client.end();
  } else if (kind === 'mysql') {
    const mysql = await import('mysql2/promise');
    const connection = await mysql.createConnection({ uri: url, connectTimeout: 2_000 });
    await connection.end();
  } else {
    const { createClient } = await import('redis');
    const client = createClient({ url, socket: { connectTimeout: 2_000, reconnectStrategy: false } });
    client.on('error', () => {});
    await client.connect();
    await client.quit();
  }
}
