// What the site acceptance tests share: a scratch working directory (so the demos' .data/ is the
// test's own), PostgreSQL and MySQL databases and a Redis database of the run's own (so trimming a store
// to a cap, or counting what is in it, never touches another test's sessions), the lab router on a real
// socket, and browser stand-ins. The demo processes inherit the scratch directory and the store URLs.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { locationFor, SERVER_DEFAULTS } from '../sandbox/stores/locations.ts';
import { TestClient } from '../sandbox/testing/client.ts';
import { skipUnless } from '../sandbox/testing/servers.ts';
import { startTcpProxy, type TcpProxy } from '../sandbox/testing/tcp-proxy.ts';
import type { NodeHandler } from './lib/lab/router.ts';

export const COOKIE = 'session_lab_id';
export const countOf = (page: string) => Number(/<output id="count">(\d+)<\/output>/.exec(page)?.[1]);
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type ServerKind = 'postgres' | 'mysql' | 'redis';
export type Skips = Record<ServerKind, string | false>;

export interface Isolated {
  skip: Skips;
  /** Relays in front of PostgreSQL and Redis (when asked for), to take the "server" down and up. */
  relays: Partial<Record<'postgres' | 'redis', TcpProxy>>;
  scratch: string;
  cleanup(): Promise<void>;
}

const SERVER_KINDS: readonly ServerKind[] = ['postgres', 'mysql', 'redis'];

/**
 * Moves this process into a scratch directory and points each server store in `servers` (all three by
 * default) at a database of its own (through a TCP relay for PostgreSQL and Redis when `relays` is set).
 * Call before any demo starts.
 */
export async function isolate({
  relays: wantRelays = false,
  servers = SERVER_KINDS,
}: {
  relays?: boolean;
  servers?: readonly ServerKind[];
} = {}): Promise<Isolated> {
  const scratch = mkdtempSync(join(tmpdir(), 'session-lab-acceptance-'));
  const home = process.cwd();
  process.chdir(scratch);
  const probe = (kind: ServerKind) =>
    servers.includes(kind) ? skipUnless(kind) : Promise.resolve(`${kind}: not used by this run`);
  const skip: Skips = {
    postgres: await probe('postgres'),
    mysql: await probe('mysql'),
    redis: await probe('redis'),
  };
  const name = `session_lab_acceptance_${randomBytes(5).toString('hex')}`;
  const cleanups: (() => Promise<void>)[] = [];
  const relays: Isolated['relays'] = {};
  const through = async (kind: 'postgres' | 'redis', url: URL): Promise<URL> => {
    if (!wantRelays) return url;
    const relay = await startTcpProxy(url.hostname, Number(url.port || (kind === 'redis' ? 6379 : 5432)));
    relays[kind] = relay;
    cleanups.push(() => relay.close());
    return Object.assign(new URL(url), { hostname: '127.0.0.1', port: String(relay.port) });
  };

  if (!skip.postgres) {
    const { default: pg } = await import('pg');
    const admin = locationFor('postgres');
    const client = new pg.Client({ connectionString: admin });
    await client.connect();
    // A database name cannot be a placeholder: the driver quotes it as an identifier instead.
    const create = `CREATE DATABASE ${client.escapeIdentifier(name)}`;
    await client.query(create);
    await client.end();
    const own = new URL(admin);
    own.pathname = `/${name}`;
    process.env[SERVER_DEFAULTS.postgres.env] = String(await through('postgres', own));
    cleanups.push(async () => {
      const dropper = new pg.Client({ connectionString: admin });
      await dropper.connect();
      const drop = `DROP DATABASE IF EXISTS ${dropper.escapeIdentifier(name)} WITH (FORCE)`;
      await dropper.query(drop);
      await dropper.end();
    });
  }
  if (!skip.mysql) {
    const mysql = await import('mysql2/promise');
    const admin = locationFor('mysql');
    const connection = await mysql.createConnection({ uri: admin });
    // `??` is mysql2's identifier placeholder: the name is quoted by the driver.
    await connection.query('CREATE DATABASE ??', [name]);
    await connection.end();
    const own = new URL(admin);
    own.pathname = `/${name}`;
    process.env[SERVER_DEFAULTS.mysql.env] = String(own);
    cleanups.push(async () => {
      const dropper = await mysql.createConnection({ uri: admin });
      await dropper.query('DROP DATABASE IF EXISTS ??', [name]);
      await dropper.end();
    });
  }
  if (!skip.redis) {
    // Redis has numbered databases, not named ones: take an empty one, and delete only the demos' keys.
    const { createClient } = await import('redis');
    const base = new URL(locationFor('redis'));
    const client = createClient({ url: String(base) });
    await client.connect();
    let db = 0;
    for (const candidate of [...Array(15).keys()].map((i) => i + 1).sort(() => Math.random() - 0.5)) {
      await client.select(candidate);
      if ((await client.dbSize()) === 0) {
        db = candidate;
        break;
      }
    }
    await client.close();
    if (db === 0) throw new Error('no empty Redis database (1–15) for the acceptance tests');
    const own = new URL(base);
    own.pathname = `/${db}`;
    process.env[SERVER_DEFAULTS.redis.env] = String(await through('redis', own));
    cleanups.push(async () => {
      const cleaner = createClient({ url: String(own) });
      await cleaner.connect();
      for await (const keys of cleaner.scanIterator({ MATCH: 'session-lab:*', COUNT: 500 }))
        if (keys.length > 0) await cleaner.del(keys);
      await cleaner.close();
    });
  }
  return {
    skip,
    relays,
    scratch,
    async cleanup() {
      process.chdir(home);
      for (const step of cleanups.reverse()) await step().catch((error) => console.error(error));
      rmSync(scratch, { recursive: true, force: true });
    },
  };
}

/** The lab router on a loopback socket, as the site mounts it in front of Astro. */
export async function serve(router: NodeHandler): Promise<{ origin: string; server: Server }> {
  const server = createServer((req, res) => {
    if (!router(req, res)) res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

/** A browser stand-in that talks to the site over HTTP and keeps its cookies. */
export function browser(origin: string, headers: Record<string, string> = {}): TestClient {
  return new TestClient((request) => {
    for (const [name, value] of Object.entries(headers)) request.headers.set(name, value);
    return fetch(request, { redirect: 'manual' });
  }, origin);
}

/** A raw request, for header bytes that fetch refuses to send (NUL, non-Latin-1). */
export function rawGet(
  origin: string,
  path: string,
  cookieBytes: Buffer,
): Promise<{ status: number; head: string; body: string }> {
  const { port } = new URL(origin);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const [head = '', body = ''] = text.split('\r\n\r\n');
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0), head, body });
    });
    socket.write(
      Buffer.concat([
        Buffer.from(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\nCookie: `),
        cookieBytes,
        Buffer.from('\r\n\r\n'),
      ]),
    );
  });
}

/** The session as the demo's store holds it (`GET <base>_inspect`, the inspector's own route). */
export async function inspect(client: TestClient, base: string, cookie?: string) {
  const { text } = await client.get(`${base}_inspect`, cookie === undefined ? {} : { cookie });
  return JSON.parse(text) as {
    live: boolean;
    data: Record<string, unknown> | null;
    storeKey?: string;
    expiresAt: number | null;
    stored: { location: string; raw: string } | null;
  };
}
