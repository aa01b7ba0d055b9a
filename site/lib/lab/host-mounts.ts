// The site's resolver for a host worker (sandbox/cli/host.ts): which demo app, with which `[session]`
// config, a `/lab/<app>/<store>/<profile>/…` path gets. Loaded inside the host process, so every hosted
// variant is configured exactly as its own process would be (variantConfig).

import { APPS } from '../../../lessons/apps.ts';
import type { MountResolver } from '../../../sandbox/cli/host.ts';
import { parseConfig } from '../../../sandbox/engine/config.ts';
import { parseLabPath, variantConfig, variantKey } from './variant.ts';

export interface HostMountOptions {
  /** Extra `[session]` keys for every demo (public mode caps). */
  extraConfig?: Record<string, string>;
  /** The shared state's URL (server.ts `sharedUrl`). */
  sharedUrl?: string;
}

export function resolver(options: unknown): MountResolver {
  const { extraConfig, sharedUrl } = (options ?? {}) as HostMountOptions;
  return (path) => {
    const parsed = parseLabPath(path);
    // Two-worker variants keep processes of their own: their point is two processes.
    if (parsed?.variant.workers !== 1) return null;
    const { variant, base } = parsed;
    return {
      app: APPS[variant.app],
      config: parseConfig(variantConfig(variant, extraConfig), `demo ${variantKey(variant)}`),
      base,
      ...(sharedUrl ? { sharedUrl } : {}),
    };
  };
}
