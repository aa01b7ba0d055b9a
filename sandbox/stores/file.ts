// File: one JSON file per session, `<dir>/<key>.json`, shared by every process using the directory.
// - Paths come only from keys that pass the id check and resolve inside `dir` (cherrypy#744,
//   CVE-2008-0252: a cookie id once reached files outside the session directory).
// - A save writes a temp file beside the target, then rename(2)s it over: a reader sees the old file or
//   the new one, never half, and `kill -9` mid-save leaves at worst a temp file the sweeper removes.
//   No fsync: a killed process loses nothing the kernel already holds in its page cache. Only a power
//   cut or kernel crash could lose the last saves; fsync of file and directory would cost a disk flush
//   per save (milliseconds: hundreds of requests a second, not thousands). ext4 already starts
//   writeback when a rename replaces a file (auto_da_alloc), which is most of what a save costs here.
// - `lock` is a lock file per session, with a lease (file-lock.ts), in the subdirectory `.locks/`. Creating
//   a file takes its directory's lock in the kernel: in the session directory itself, lock files would
//   queue behind the temp-file creates and renames of every save. Every process on the directory uses the
//   same `.locks/`.
// - Lock, load and unlock use sync calls: each reads or creates one tiny file, which costs less than a trip
//   through libuv's thread pool. The save stays async: a rename that replaces a file can make ext4 start
//   writeback, and under disk load a sync rename would stall the event loop. `sweep` walks the whole
//   directory in the background, so it is async too.
import { randomBytes } from 'node:crypto';
import { mkdirSync, unlinkSync } from 'node:fs';
import { readdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { StoreUnavailableError } from '../engine/errors.ts';
import { isWellFormedId } from '../engine/ids.ts';
import { LEASE_MS } from '../engine/locks.ts';
import type { Store } from '../engine/types.ts';
import {
  breakIfStale,
  codeOf,
  giveLockFile,
  readText,
  remove,
  renewLockFile,
  takeLockFile,
} from './file-lock.ts';
import { leaseLock } from './lease-lock.ts';
import { parseRecord } from './record-json.ts';

export const FILE_STORE = 'file';

export interface FileStoreOptions {
  /** The directory holding the sessions; created (mkdir -p) if missing. */
  dir: string;
  /** Seconds `lock()` keeps trying before it throws LockTimeoutError. */
  lockTimeoutSeconds: number;
  /** Milliseconds a lock's lease lives unless renewed (default `LEASE_MS`); tests shorten it. */
  leaseMs?: number;
}

/** Temp files younger than this may belong to a save in progress; older ones are debris of a crash. */
const TEMP_GRACE_MS = 60_000;
/** Lock files live apart from the session files (see the top of this file). */
export const LOCK_DIR = '.locks';
const SESSION_FILE = /^([A-Za-z0-9_-]{43})\.json$/;
const LOCK_FILE = /^[A-Za-z0-9_-]{43}\.lock$/;
const TEMP_FILE = /^\.[A-Za-z0-9_-]{43}(\.lock)?\.\d+\.[0-9a-f]+\.tmp$/;

export function fileStore({ dir, lockTimeoutSeconds, leaseMs = LEASE_MS }: FileStoreOptions): Store {
  const root = resolve(dir);
  const lockRoot = join(root, LOCK_DIR);
  mkdirSync(lockRoot, { recursive: true });

  /** fs errors (they carry a code) become a 503 naming the directory; our own errors pass through. */
  const guarded = async <T>(what: string, work: () => T | Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (cause) {
      if (!codeOf(cause)) throw cause;
      const [message, hint] = [`cannot ${what} in ${root}: ${codeOf(cause)}`, 'Is storageFileDir writable?'];
      throw new StoreUnavailableError(FILE_STORE, message, hint, { cause });
    }
  };
  /** The file for a key, or null for a key that could steer a path (`../`, NUL, `/`, 10 KB, unicode). */
  const pathOf = (key: string, ext: '.json' | '.lock'): string | null => {
    if (!isWellFormedId(key)) return null; // a key (SHA-256, base64url) has the shape of an id
    const home = ext === '.lock' ? lockRoot : root;
    const path = join(home, key + ext);
    return dirname(path) === home ? path : null;
  };
  const mustPathOf = (key: string, ext: '.json' | '.lock'): string => {
    const path = pathOf(key, ext);
    if (path) return path;
    throw new TypeError(
      `[session-lab] [file] refused a malformed key (${key.length} characters; a key is hashId's 43)`,
    );
  };
  const tempOf = (key: string) => join(root, `.${key}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);

  const take = async (key: string, token: string, _now: number, until: number) => {
    const path = mustPathOf(key, '.lock');
    try {
      return takeLockFile(path, token, until);
    } catch (error) {
      if (codeOf(error) !== 'ENOENT') throw error;
      mkdirSync(lockRoot, { recursive: true }); // `.locks/` removed by hand while running: make it again
      return takeLockFile(path, token, until);
    }
  };
  const renew = (key: string, token: string, until: number) =>
    guarded('lock', () => renewLockFile(mustPathOf(key, '.lock'), token, until));
  const give = (key: string, token: string) =>
    guarded('unlock', () => giveLockFile(mustPathOf(key, '.lock'), token));
  /** Breaks stale locks and removes old temp files (graves of broken locks among them) in one directory. */
  const sweepDebris = async (name: string, path: string) => {
    if (LOCK_FILE.test(name)) breakIfStale(path);
    else if (TEMP_FILE.test(name)) {
      const mtime = (await stat(path).catch(() => null))?.mtimeMs ?? Date.now();
      if (Date.now() - mtime > TEMP_GRACE_MS) remove(path);
    }
  };
  /** Deletes an expired or unreadable record under its lock, re-checked, so a fresh save is never swept. */
  const sweepOne = async (key: string, path: string, now: number): Promise<boolean> => {
    const record = parseRecord(await readFile(path, 'utf8').catch(() => null));
    if (record && record.expiresAt > now) return false;
    const token = randomBytes(9).toString('base64url');
    if (!(await take(key, token, now, Date.now() + leaseMs))) return false; // in use: the next sweep will see it
    try {
      const text = readText(path);
      const again = parseRecord(text);
      // A record that can never load (torn, hand-edited) goes too (session-file-store#111).
      return text !== null && (!again || again.expiresAt <= now) && remove(path) !== null;
    } finally {
      await give(key, token);
    }
  };

  const lease = leaseLock({ take, renew, give }, lockTimeoutSeconds, leaseMs);
  return {
    name: FILE_STORE,
    load: (key) =>
      guarded('read', () => {
        const path = pathOf(key, '.json');
        return path ? parseRecord(readText(path)) : null;
      }),
    save: (key, record) =>
      guarded('save', async () => {
        const [path, temp] = [mustPathOf(key, '.json'), tempOf(key)];
        try {
          await writeFile(temp, JSON.stringify(record), { flag: 'wx' });
          await rename(temp, path);
        } catch (error) {
          try {
            unlinkSync(temp); // most likely never created; the error that matters is `error`
          } catch {}
          throw error;
        }
      }),
    destroy: (key) =>
      guarded('delete', () => {
        const path = pathOf(key, '.json');
        if (path) remove(path);
      }),
    lock: (key) => guarded('lock', () => lease.lock(key)),
    close: async () => lease.close(),
    inspect: (key) =>
      guarded('read', () => {
        const path = pathOf(key, '.json');
        const raw = path && readText(path);
        return path && raw != null
          ? { store: FILE_STORE, location: path, raw, bytes: Buffer.byteLength(raw) }
          : null;
      }),
    // No lock: a request that is saving the record right now just writes it back (rename(2) creates it).
    trim: (max) =>
      guarded('trim', async () => {
        const records: { path: string; expiresAt: number }[] = [];
        for (const name of await readdir(root)) {
          if (!SESSION_FILE.test(name)) continue;
          const path = join(root, name);
          const record = parseRecord(await readFile(path, 'utf8').catch(() => null));
          records.push({ path, expiresAt: record?.expiresAt ?? Number.NEGATIVE_INFINITY });
        }
        records.sort((a, b) => a.expiresAt - b.expiresAt);
        const doomed = records.slice(0, Math.max(0, records.length - max));
        return doomed.filter(({ path }) => remove(path) !== null).length;
      }),
    sweep: (now) =>
      guarded('sweep', async () => {
        let removed = 0;
        for (const name of await readdir(root)) {
          const path = join(root, name);
          const key = SESSION_FILE.exec(name)?.[1];
          if (key) removed += (await sweepOne(key, path, now)) ? 1 : 0;
          else if (TEMP_FILE.test(name)) await sweepDebris(name, path); // a save cut short
        }
        for (const name of (await readdir(lockRoot).catch(() => [])) as string[]) {
          await sweepDebris(name, join(lockRoot, name));
        }
        return removed;
      }),
  };
}
