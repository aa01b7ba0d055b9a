// The few lines the CLI prints at start: where to go, and the settings really in use.
import { resolve } from 'node:path';
import type { SessionConfig } from '../engine/config.ts';
import { locationFor, redactUrl } from '../stores/locations.ts';

/** Where the store keeps sessions, safe to print (passwords redacted). */
export function storeLocation(config: SessionConfig, workers: number): string {
  switch (config.storageType) {
    case 'ram':
      return workers > 1 ? 'memory of each worker process (not shared)' : 'memory of this process';
    case 'file':
      return resolve(config.storageFileDir);
    case 'cookie':
      return `cookie ${config.cookieName}_data in the browser`;
    case 'sqlite':
      return resolve(locationFor('sqlite', config));
    case 'postgres':
    case 'mysql':
    case 'redis':
      return redactUrl(locationFor(config.storageType, config));
    case 'custom':
      return "the app's own save/load functions";
  }
}

function writePolicy(config: SessionConfig): string {
  if (config.writePolicy === 'interval')
    return `interval (RAM, written behind every ${config.flushInterval} s)`;
  if (config.writePolicy === 'on-shutdown') return 'on-shutdown (RAM, written behind at a clean stop only)';
  return config.writePolicy;
}

function timeout(config: SessionConfig): string {
  const absolute = config.absoluteTimeout === null ? '' : `, ${config.absoluteTimeout} min absolute`;
  return `${config.timeout} min idle${absolute}`;
}

export interface BannerFacts {
  appName: string;
  title: string;
  url: string;
  config: SessionConfig;
  configFile: string | undefined;
  /** This process. */
  pid: number;
  /** Worker processes, when a supervisor runs; empty for one process. */
  workers: { pid: number | undefined; port: number | undefined }[];
  notes: string[];
}

export function banner(facts: BannerFacts): string {
  const { config } = facts;
  const processes =
    facts.workers.length === 0
      ? `1 (pid ${facts.pid})`
      : `${facts.workers.length} workers behind a round-robin proxy (pid ${facts.pid}): ` +
        facts.workers.map((w, i) => `#${i + 1} pid ${w.pid} port ${w.port}`).join(', ');
  const lines = [
    `Session Lab sandbox: ${facts.appName} (${facts.title}) at ${facts.url}`,
    `  store      ${config.storageType}: ${storeLocation(config, facts.workers.length)}`,
    `  sessions   transport ${config.transport}, timeout ${timeout(config)}`,
    `  saving     write policy ${writePolicy(config)}, locking ${config.locking}`,
    `  processes  ${processes}`,
  ];
  if (facts.configFile) lines.push(`  config     ${resolve(facts.configFile)} (flags override it)`);
  for (const note of facts.notes) lines.push(`  note       ${note}`);
  lines.push('Ctrl-C stops it (buffered sessions are written first); a second Ctrl-C forces it.');
  return lines.join('\n');
}
