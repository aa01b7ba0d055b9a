// Picks the site's shared state from SESSION_LAB_SHARED_URL. Synchronous, so the site can build its demo
// machinery at once; the Redis and PostgreSQL drivers are still only imported on first use.

import { memorySharedState } from './memory-shared-state.ts';
import { postgresSharedState } from './postgres-shared-state.ts';
import { redisSharedState } from './redis-shared-state.ts';
import { type SharedState, sharedBackendOf } from './shared-state.ts';

/**
 * The shared state a URL names (unset or `memory`: this process). Connects lazily: a server that is
 * down makes the calls fail (the callers fall back or report it), never the start.
 */
export function openSharedState(url: string | undefined): SharedState {
  const backend = sharedBackendOf(url);
  const target = url?.trim() ?? '';
  if (backend === 'redis') return redisSharedState({ url: target });
  if (backend === 'postgres') return postgresSharedState({ url: target });
  return memorySharedState();
}
