// Lock files shared by processes on one machine (the file store's `lock`). A lock is `<key>.lock`,
// created whole by link(2) (exactly one creator wins), holding `{pid, expiresAt, token}`; its holder
// rewrites it with a later expiresAt while its request runs (`renewLockFile`). A lock whose lease ran
// out or whose process is gone is broken, so a crash blocks nobody for long (cherrypy#604, #1122:
// dangling lock files hung sites). The pid check assumes one machine (not NFS).
// Sync calls: see the note on speed at the top of file.ts.
import { randomBytes } from 'node:crypto';
import { linkSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { LEASE_MS } from '../engine/locks.ts';

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

/** Creates the lock file, its lease running until `until`; false when a live holder has it. */
export function takeLockFile(path: string, token: string, until: number): boolean {
  const lock = JSON.stringify({ pid: process.pid, expiresAt: until, token });
  for (let attempt = 0; attempt < 2; attempt++) {
    if (createWhole(path, lock)) return true;
    if (!breakIfStale(path)) return false;
  }
  return false;
}

/**
 * Moves our lease on to `until`; false when the lock is not ours any more. The new text goes to a temp
 * file renamed over the lock, so a reader never sees it half-written. The check and the rename are one
 * synchronous step, a lease (seconds) before anyone may judge our lock stale, so it replaces only ours.
 */
export function renewLockFile(path: string, token: string, until: number): boolean {
  const text = readText(path);
  if (!text?.includes(`"token":"${token}"`)) return false;
  // A lease that ran out is lost, as a dead holder's would be: another process may be about to take it.
  const { expiresAt } = JSON.parse(text) as { expiresAt?: unknown };
  if (typeof expiresAt !== 'number' || expiresAt < Date.now()) return false;
  const temp = besideTemp(path);
  writeFileSync(temp, JSON.stringify({ pid: process.pid, expiresAt: until, token }), { flag: 'wx' });
  try {
    renameSync(temp, path);
  } catch (error) {
    remove(temp);
    throw error;
  }
  return true;
}

/**
 * Creates `path` holding `text` unless it exists (then false). The text goes into a temp file that is
 * then link(2)ed into place, which fails if the path exists: a lock file never exists half-written. With
 * an O_EXCL create and then a write, a process killed between the two left an empty lock, which only its
 * age can judge stale, blocking its session for a whole lease (found by the load test's kill -9).
 */
function createWhole(path: string, text: string): boolean {
  const temp = besideTemp(path);
  writeFileSync(temp, text, { flag: 'wx' });
  try {
    linkSync(temp, path);
    return true;
  } catch (error) {
    if (codeOf(error) !== 'EEXIST') throw error;
    return false;
  } finally {
    remove(temp);
  }
}

/** A temp name beside `path`, unique to this process and call; swept as debris if a crash leaves it. */
const besideTemp = (path: string) =>
  join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);

/** Deletes the lock only if it is still ours: once our lease ran out, it may be the next holder's. */
export function giveLockFile(path: string, token: string): void {
  if (readText(path)?.includes(`"token":"${token}"`)) remove(path);
}

/** Takes a stale lock away; true when the caller should try to lock again. */
export function breakIfStale(path: string): boolean {
  const text = readText(path);
  if (text === null) return true;
  if (!isStale(path, text)) return false;
  // Two waiters may both judge it stale. rename(2) hands the file to one of them, who checks that what it
  // took is that stale lock, not one a third process took meanwhile (the races of cherrypy#1391).
  const grave = besideTemp(path);
  if (unlessMissing(() => renameSync(path, grave)) === null) return true;
  const taken = readText(grave);
  if (taken !== null && taken !== text && !isStale(grave, taken)) {
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
  if (typeof holder?.pid === 'number' && typeof holder.expiresAt === 'number') {
    return holder.expiresAt <= now || !isAlive(holder.pid);
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
