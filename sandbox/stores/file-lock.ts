// Lock files shared by processes on one machine (the file store's `lock`). A lock is `<key>.lock`, a
// hard link to one of the holder's owner files (link(2): exactly one taker wins), holding `{pid, token}`;
// its lease runs from the file's mtime. A lock whose lease ran out or whose process is gone is broken, so
// a crash blocks nobody for long (cherrypy#604, #1122: dangling lock files hung sites). The pid check
// assumes one machine (not NFS).
// Sync calls: see the note on speed at the top of file.ts.
import { randomBytes } from 'node:crypto';
import {
  linkSync,
  lstatSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { LEASE_MS } from './sql-shared.ts';

export const codeOf = (error: unknown) => (error as NodeJS.ErrnoException | undefined)?.code;

/** Runs fs work on a file that may be gone: ENOENT gives null, anything else throws. */
export function unlessMissing<T>(work: () => T): T | null {
  try {
    return work();
  } catch (error) {
    if (codeOf(error) === 'ENOENT') return null;
    throw error;
  }
}
export const readText = (path: string) => unlessMissing(() => readFileSync(path, 'utf8'));
export const remove = (path: string) => unlessMissing(() => unlinkSync(path));

interface OwnerFile {
  path: string;
  ino: number;
  dev: number;
}

/** This process's owner files: `.owner.<pid>.<random>` in the lock directory. */
const OWNER_FILE = /^\.owner\.(\d+)\.[0-9a-f]+$/;

/**
 * One process's locks in one lock directory. Taking a lock link(2)s one of its owner files (created
 * once, whole, holding `{pid, token}`) to `<key>.lock`; the link fails if the lock exists, so exactly one
 * taker wins, and a lock is never empty. The lease starts at the owner file's mtime, set just before
 * the link. Giving it back unlinks the name again. Neither creates nor deletes a file: on this VM's
 * ext4 (no journal) every inode created scans past the inodes deleted in the last minutes, and a lock
 * file made and deleted per request cost more than the session file's own save (bench/README.md,
 * "Making it fast"). An owner file serves one lock at a time and is used again afterwards.
 */
export class LockOwner {
  readonly #dir: string;
  readonly #free: OwnerFile[] = [];
  /** Owner files in use, by the token of the lock they hold. */
  readonly #held = new Map<string, OwnerFile>();

  constructor(dir: string) {
    this.#dir = dir;
  }

  /** Takes the lock at `path` for `token`; false when a live holder has it. */
  take(path: string, token: string): boolean {
    for (let attempt = 0; attempt < 2; attempt++) {
      const owner = this.#free.pop() ?? this.#create();
      try {
        const now = Date.now() / 1000;
        utimesSync(owner.path, now, now);
        linkSync(owner.path, path);
        this.#held.set(token, owner);
        return true;
      } catch (error) {
        if (codeOf(error) === 'ENOENT') {
          // The lock directory was removed by hand: our owner files went with it.
          this.#free.length = 0;
          throw error;
        }
        this.#free.push(owner);
        if (codeOf(error) !== 'EEXIST') throw error;
      }
      if (!breakIfStale(path)) return false;
    }
    return false;
  }

  /** Gives the lock back, only if it is still ours: once our lease ran out, it may be the next holder's. */
  give(path: string, token: string): void {
    const owner = this.#held.get(token);
    if (!owner) return;
    this.#held.delete(token);
    const found = unlessMissing(() => lstatSync(path));
    if (found && found.ino === owner.ino && found.dev === owner.dev) {
      remove(path);
      this.#free.push(owner);
      return;
    }
    // Broken as stale and maybe taken by another: a breaker may still hold a link to this owner file
    // and judge it by its mtime, which a new use would refresh. Never use it again.
    remove(owner.path);
  }

  /** Deletes this process's owner files (a lock still held keeps its own link, judged by our pid). */
  close(): void {
    for (const owner of [...this.#free, ...this.#held.values()]) remove(owner.path);
    this.#free.length = 0;
    this.#held.clear();
  }

  #create(): OwnerFile {
    const path = join(this.#dir, `.owner.${process.pid}.${randomBytes(6).toString('hex')}`);
    // Written before it is ever linked: a process killed while writing leaves only an unused owner file.
    writeFileSync(path, JSON.stringify({ pid: process.pid, token: randomBytes(9).toString('base64url') }), {
      flag: 'wx',
    });
    const { ino, dev } = statSync(path);
    return { path, ino, dev };
  }
}

/** An owner file of a process that is gone is debris; true when `name` is an owner file at all. */
export function sweepOwnerFile(name: string, path: string): boolean {
  const pid = OWNER_FILE.exec(name)?.[1];
  if (pid === undefined) return false;
  if (!isAlive(Number(pid))) remove(path);
  return true;
}

/** A temp name beside `path`, unique to this process and call; swept as debris if a crash leaves it. */
const besideTemp = (path: string) =>
  join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);

/** Takes a stale lock away; true when the caller should try to lock again. */
export function breakIfStale(path: string): boolean {
  const text = readText(path);
  if (text === null) return true;
  if (!isStale(path, text)) return false;
  // Two waiters may both judge it stale. rename(2) hands the file to one of them, who checks that what it
  // took is that stale lock, not one a third process took meanwhile (the races of cherrypy#1391).
  const grave = besideTemp(path);
  if (unlessMissing(() => renameSync(path, grave)) === null) return true;
  // Judged again, not compared with the text read before: an owner file holds the same text at each use,
  // and only its mtime says it was taken again meanwhile.
  const taken = readText(grave);
  if (taken !== null && !isStale(grave, taken)) {
    unlessMissing(() => linkSync(grave, path)); // give a live lock back (EEXIST: a newer one is there)
  }
  remove(grave);
  return true;
}

function isStale(path: string, text: string): boolean {
  const now = Date.now();
  let holder: { pid?: unknown; expiresAt?: unknown } | undefined;
  try {
    holder = JSON.parse(text);
  } catch {}
  if (typeof holder?.pid === 'number') {
    if (!isAlive(holder.pid)) return true;
    // A lock file written whole by an earlier version carries its lease.
    if (typeof holder.expiresAt === 'number') return holder.expiresAt <= now;
    // An owner file linked in place: its mtime, set just before the link, is when the lock was taken.
    return now - (unlessMissing(() => statSync(path).mtimeMs) ?? 0) > LEASE_MS;
  }
  // Empty or torn: its writer died between create and write, or is writing now. Only its age tells.
  return now - (unlessMissing(() => statSync(path).mtimeMs) ?? now) > LEASE_MS;
}

/** Whether a process with this pid exists on this machine (signal 0 probes without sending). */
function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false; // 0 and negatives address process groups
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return codeOf(error) === 'EPERM'; // it exists, owned by another user
  }
}
