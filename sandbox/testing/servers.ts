// Tests that need a real server ask here first. On a laptop without the server they skip with a
// one-line reason; under CI=true a missing server is a failure, never a skip.
import { locationFor, redactUrl, type ServerKind } from '../stores/locations.ts';

type Probed = Exclude<ServerKind, 'sqlite'>;

async function probe(kind: Probed, url: string): Promise<void> {
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

const cache = new Map<Probed, Promise<string | false>>();

/**
 * `false` when the server answers; otherwise the reason to skip. Throws under CI, where every
 * server must be up. Use as `describe(name, { skip: await skipUnless('postgres') }, …)`.
 */
export function skipUnless(kind: Probed): Promise<string | false> {
  let result = cache.get(kind);
  if (!result) {
    const url = locationFor(kind);
    result = probe(kind, url).then(
      () => false as const,
      (error: Error) => {
        const reason = `${kind} is not reachable at ${redactUrl(url)} (${error.message || error.name}); set ${envName(kind)} to run these tests`;
        if (process.env.CI === 'true' || process.env.CI === '1') throw new Error(`CI needs ${reason}`);
        return reason;
      },
    );
    cache.set(kind, result);
  }
  return result;
}

function envName(kind: Probed): string {
  return {
    postgres: 'SESSION_LAB_POSTGRES_URL',
    mysql: 'SESSION_LAB_MYSQL_URL',
    redis: 'SESSION_LAB_REDIS_URL',
  }[kind];
}

/** Whether Chromium exists at the path Playwright is told to use; same CI rule as servers. */
export async function skipUnlessChromium(path = '/usr/bin/chromium'): Promise<string | false> {
  const { access } = await import('node:fs/promises');
  try {
    await access(path);
    return false;
  } catch {
    const reason = `Chromium is not installed at ${path} (apt-get install chromium)`;
    if (process.env.CI === 'true' || process.env.CI === '1') throw new Error(`CI needs ${reason}`);
    return reason;
  }
}
