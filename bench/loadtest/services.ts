// The machine-wide servers the fault phase takes down, with the commands of this machine (the project
// VM's: Redis runs daemonised without persistence, PostgreSQL as a Debian cluster). Other programs use
// them, so every outage is short and whatever was stopped is started again: in `finally`, and, should
// the script be interrupted (Ctrl-C, SIGTERM, an exception), by `restoreNow()` from its exit handler.
// Commands run asynchronously: the visitors keep clicking while a server is down or restarting.
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { promisify } from 'node:util';
import { locationFor } from '../../sandbox/stores/locations.ts';
import { probeServer } from '../../sandbox/stores/probe.ts';

const run = promisify(execFile);

export const REDIS_START = [
  '--daemonize',
  'yes',
  '--bind',
  '127.0.0.1',
  '-::1',
  '--port',
  '6379',
  '--save',
  '',
  '--appendonly',
  'no',
  '--dir',
  '/var/lib/redis',
  '--logfile',
  '/var/log/redis/ci.log',
];

const postgresVersion = () => (existsSync('/etc/postgresql') ? readdirSync('/etc/postgresql')[0] : undefined);
const isLocal = (url: string, port: string) => {
  const parsed = new URL(url);
  return ['127.0.0.1', 'localhost', '[::1]'].includes(parsed.hostname) && (parsed.port || port) === port;
};
const onPath = (binary: string) => existsSync(`/usr/bin/${binary}`) || existsSync(`/usr/local/bin/${binary}`);

/** Why this script cannot stop and start `kind` here, or false when it can. */
export function faultUnsupported(kind: 'redis' | 'postgres'): string | false {
  if (kind === 'redis') {
    if (!isLocal(locationFor('redis'), '6379')) return 'SESSION_LAB_REDIS_URL is not the local Redis on 6379';
    if (!onPath('redis-server') || !onPath('redis-cli')) return 'redis-server or redis-cli is not installed';
    return false;
  }
  if (!isLocal(locationFor('postgres'), '5432'))
    return 'SESSION_LAB_POSTGRES_URL is not the local PostgreSQL on 5432';
  if (!onPath('pg_ctlcluster') || !postgresVersion()) return 'no Debian PostgreSQL cluster (pg_ctlcluster)';
  return false;
}

let redisDown = false;
let postgresRestarting = false;

/** Waits until `kind` answers (or `ms` pass); returns how long it took, in ms. */
async function untilAnswers(kind: 'redis' | 'postgres', ms: number): Promise<number> {
  const started = Date.now();
  for (;;) {
    try {
      await probeServer(kind, locationFor(kind));
      return Date.now() - started;
    } catch (error) {
      if (Date.now() - started > ms)
        throw new Error(`${kind} did not answer within ${ms / 1000} s: ${error}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/** `redis-cli shutdown nosave`, for `seconds`, then `redis-server …` again (always), until it answers. */
export async function stopRedisFor(seconds: number, mark: (what: string) => void): Promise<void> {
  redisDown = true;
  try {
    // It closes the connection rather than answer, so the command "fails".
    await run('redis-cli', ['-p', '6379', 'shutdown', 'nosave']).catch(() => {});
    mark('Redis stopped (redis-cli shutdown nosave)');
    await new Promise((resolve) => setTimeout(resolve, seconds * 1_000));
  } finally {
    await run('redis-server', REDIS_START);
    await untilAnswers('redis', 10_000);
    redisDown = false;
    mark('Redis started again, answering');
  }
}

/** `pg_ctlcluster … main restart`; resolves once it answers again, with how long it was away (ms). */
export async function restartPostgres(mark: (what: string) => void): Promise<number> {
  const version = postgresVersion() as string;
  postgresRestarting = true;
  const started = Date.now();
  mark('PostgreSQL restart begins (pg_ctlcluster restart)');
  try {
    await run('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', 'restart']);
  } finally {
    // A restart that failed half-way leaves it stopped: start it (an error if it runs already).
    if ((await untilAnswers('postgres', 2_000).catch(() => -1)) < 0)
      await run('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', 'start']).catch(() => {});
    await untilAnswers('postgres', 30_000);
    postgresRestarting = false;
  }
  mark('PostgreSQL restarted, answering');
  return Date.now() - started;
}

/** For an exit handler (synchronous): starts whatever this script stopped and has not started yet. */
export function restoreNow(): void {
  if (redisDown) {
    try {
      execFileSync('redis-server', REDIS_START, { stdio: 'ignore' });
      redisDown = false;
      console.error('[loadtest] Redis started again on the way out');
    } catch (error) {
      console.error(
        `[loadtest] could not start Redis again: ${error}; run: redis-server ${REDIS_START.join(' ')}`,
      );
    }
  }
  if (postgresRestarting) {
    try {
      execFileSync(
        'pg_ctlcluster',
        ['--skip-systemctl-redirect', postgresVersion() as string, 'main', 'start'],
        {
          stdio: 'ignore',
        },
      );
    } catch {} // running already: the restart had finished
    postgresRestarting = false;
  }
}
