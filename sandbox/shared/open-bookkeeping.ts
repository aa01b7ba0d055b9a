// Picks the site's bookkeeping from SESSION_LAB_SHARED_URL. Synchronous, so the site can build its demo
// machinery at once; the Redis and PostgreSQL drivers are still only imported on first use.
import { type Bookkeeping, sharedBackendOf } from './bookkeeping.ts';
import { memoryBookkeeping } from './memory-bookkeeping.ts';
import { postgresBookkeeping } from './postgres-bookkeeping.ts';
import { redisBookkeeping } from './redis-bookkeeping.ts';

/**
 * The bookkeeping a URL names (unset or `memory`: this process). Connects lazily: a server that is
 * down makes the calls fail (the callers fall back or report it), never the start.
 */
export function openBookkeeping(url: string | undefined): Bookkeeping {
  const backend = sharedBackendOf(url);
  const target = url?.trim() ?? '';
  if (backend === 'redis') return redisBookkeeping({ url: target });
  if (backend === 'postgres') return postgresBookkeeping({ url: target });
  return memoryBookkeeping();
}
