// Tests that need a real server ask here first. On a laptop without the server they skip with a
// one-line reason; under CI=true a missing server is a failure, never a skip.

import { locationFor, redactUrl } from '../stores/locations.ts';
import { type ProbedServer, probeServer } from '../stores/probe.ts';
import { CHROMIUM_PATH } from './chromium.ts';

type Probed = ProbedServer;

const cache = new Map<Probed, Promise<string | false>>();

/**
 * `false` when the server answers; otherwise the reason to skip. Throws under CI, where every
 * server must be up. Use as `describe(name, { skip: await skipUnless('postgres') }, …)`.
 */
export function skipUnless(kind: Probed): Promise<string | false> {
  let result = cache.get(kind);
  if (!result) {
    const url = locationFor(kind);
    result = probeServer(kind, url).then(
      () => false as const,
      (error: Error) => {
        const reason = `${kind} is not reachable at ${redactUrl(url)} (${error.message || error.name}); set ${envName(kind)} to run these tests`;
        return skipOrFail(reason);
      },
    );
    cache.set(kind, result);
  }
  return result;
}

/** The reason to skip, on a laptop; under CI=true, where everything a test needs must be there, a throw. */
export function skipOrFail(reason: string): string {
  if (process.env.CI === 'true' || process.env.CI === '1') throw new Error(`CI needs ${reason}`);
  return reason;
}

function envName(kind: Probed): string {
  return {
    postgres: 'SESSION_LAB_POSTGRES_URL',
    mysql: 'SESSION_LAB_MYSQL_URL',
    redis: 'SESSION_LAB_REDIS_URL',
  }[kind];
}

/** Whether Chromium exists at the path Playwright is told to use; same CI rule as servers. */
export async function skipUnlessChromium(path = CHROMIUM_PATH): Promise<string | false> {
  const { access } = await import('node:fs/promises');
  try {
    await access(path);
    return false;
  } catch {
    return skipOrFail(`Chromium is not installed at ${path} (apt-get install chromium)`);
  }
}
