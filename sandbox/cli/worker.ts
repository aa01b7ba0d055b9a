// A supervisor's worker process: serves one app on its own loopback port and reports it over IPC.
// It stops when the supervisor says so, on SIGTERM, or when the supervisor is gone (IPC disconnect),
// so a killed supervisor never leaves workers behind.
import type { AppName } from '../../lessons/apps.ts';
import type { SessionConfig } from '../engine/config.ts';
import { type RunningServer, startServer } from './server.ts';

/** Supervisor → worker. */
export type WorkerCommand =
  | {
      type: 'start';
      appName: AppName;
      config: SessionConfig;
      host: string;
      publicOrigin: string;
      base: string;
      /** The site's shared bookkeeping URL, if any (server.ts `sharedUrl`). */
      sharedUrl?: string;
    }
  | { type: 'stop' };

/** Worker → supervisor. */
export type WorkerReport =
  | { type: 'ready'; port: number; warnings: string[] }
  | { type: 'failed'; message: string };

function report(message: WorkerReport, sent?: () => void): void {
  process.send?.(message, undefined, undefined, sent);
}

if (!process.send) {
  console.error('sandbox/cli/worker.ts runs under the supervisor; start the sandbox with npm run sandbox');
  process.exit(2);
}

// A terminal's Ctrl-C reaches the whole process group; the supervisor decides when workers stop.
process.on('SIGINT', () => {});

let server: RunningServer | undefined;
let stopping: Promise<void> | undefined;

/** A stop that takes longer (a store that hangs while flushing) ends the process anyway: no orphans. */
const STOP_MS = 10_000;

function stop(): void {
  if (!stopping) {
    setTimeout(() => {
      console.error(`[session-lab] worker ${process.pid} did not stop within ${STOP_MS / 1000} s; exiting`);
      process.exit(1);
    }, STOP_MS);
  }
  stopping ??= (async () => {
    try {
      await server?.close();
      process.exit(0);
    } catch (error) {
      console.error(`[session-lab] worker ${process.pid} failed to stop cleanly:`, error);
      process.exit(1);
    }
  })();
}

process.on('SIGTERM', stop);
process.on('disconnect', stop);
process.on('message', (command: WorkerCommand) => {
  if (command.type === 'stop') {
    stop();
    return;
  }
  if (server || stopping) return;
  startServer({
    appName: command.appName,
    config: command.config,
    host: command.host,
    port: 0,
    publicOrigin: command.publicOrigin,
    base: command.base,
    sharedUrl: command.sharedUrl,
  }).then(
    (running) => {
      server = running;
      report({ type: 'ready', port: running.port, warnings: running.warnings });
    },
    (error: Error) => {
      report({ type: 'failed', message: error.message }, () => process.exit(1));
    },
  );
});
