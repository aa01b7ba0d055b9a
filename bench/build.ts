// The Astro builds two bench servers run from: the Session Lab site (`npm run build` → dist/) and the
// Astro.session peer (bench/astro-session → bench/astro-session/dist/). Each is built once per bench run,
// and only when its dist/server/entry.mjs is missing or older than the newest of its sources.
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export type BuildId = 'site' | 'astro-session';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const ASTRO_BIN = `${ROOT}node_modules/astro/bin/astro.mjs`;

interface Build {
  /** Passed to `astro build` after the command. */
  args: string[];
  entry: string;
  /** Files and folders whose changes make the build stale. */
  sources: string[];
}

export const BUILDS: Record<BuildId, Build> = {
  site: {
    args: [],
    entry: `${ROOT}dist/server/entry.mjs`,
    sources: ['site', 'lessons', 'astro.config.mjs'].map((p) => `${ROOT}${p}`),
  },
  'astro-session': {
    args: ['--root', 'bench/astro-session'],
    entry: `${ROOT}bench/astro-session/dist/server/entry.mjs`,
    sources: ['src', 'astro.config.mjs'].map((p) => `${ROOT}bench/astro-session/${p}`),
  },
};

/** Folders that are output or caches, never sources. */
const SKIPPED = new Set(['node_modules', 'dist', '.astro']);

const done = new Map<BuildId, Promise<string | undefined>>();

/** Builds when needed; resolves to undefined when the entry is ready, or to why it is not. */
export function ensureBuilt(id: BuildId): Promise<string | undefined> {
  let pending = done.get(id);
  if (!pending) {
    pending = build(id);
    done.set(id, pending);
  }
  return pending;
}

async function build(id: BuildId): Promise<string | undefined> {
  const { args, entry, sources } = BUILDS[id];
  const built = mtime(entry);
  const newest = Math.max(...sources.map(newestIn));
  if (built !== undefined && built >= newest) return undefined;
  console.log(
    `  building ${id} (${built === undefined ? `${entry} is missing` : 'its sources changed since the last build'}): astro build ${args.join(' ')}`,
  );
  const started = Date.now();
  // The Node running the bench (22), not whatever `node` is first on PATH.
  const child = spawn(process.execPath, [ASTRO_BIN, 'build', ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-2_000);
  });
  const code = await new Promise<number | null>((resolve) => {
    child.once('error', () => resolve(null));
    child.once('exit', resolve);
  });
  if (code !== 0) return `astro build ${args.join(' ')} failed (exit ${code}): ${stderr.trim()}`;
  console.log(`  built ${id} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return undefined;
}

function mtime(path: string): number | undefined {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return undefined;
  }
}

/** The newest modification time of a file, or of any file under a folder (tests and outputs left out). */
function newestIn(path: string): number {
  const own = mtime(path) ?? 0;
  let entries: { name: string; parentPath: string; isFile(): boolean }[];
  try {
    entries = readdirSync(path, { withFileTypes: true, recursive: true });
  } catch {
    return own; // a file, or missing
  }
  let newest = own;
  for (const entry of entries) {
    if (!entry.isFile() || entry.name.endsWith('.test.ts')) continue;
    const full = `${entry.parentPath}/${entry.name}`;
    if (
      full
        .slice(path.length)
        .split('/')
        .some((part) => SKIPPED.has(part))
    )
      continue;
    newest = Math.max(newest, mtime(full) ?? 0);
  }
  return newest;
}
