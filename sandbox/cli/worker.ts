// A supervisor's worker process: serves one app on its own loopback port (or, as a host, several apps
// at their own base paths: host.ts) and reports the port over IPC.
// It stops when the supervisor says so, on SIGTERM, or when the supervisor is gone (IPC disconnect),
// so a killed supervisor never leaves workers behind.
import { pathToFileURL } from 'node:url';
import { type AppRegistryModule, appNamed } from './apps.ts';
import { type HostLimits, type MountSpec, type ResolverModule, startHost } from './host.ts';
import { startServer } from './server.ts';

/** What a worker serves: one app, or (a host) whatever the named resolver module mounts for a path. */
export type Serving =
  | ({
      kind: 'app';
      /** A module path exporting `APPS` (apps.ts), and the app's name in it. */
      appsModule: string;
      appName: string;
    } & Omit<MountSpec, 'app'>)
  | ({
      kind: 'host';
      /** A module path exporting `resolver` (host.ts). */
      resolver: string;
      options?: unknown;
    } & HostLimits);

/** Supervisor → worker. */
export type WorkerCommand =
  | {
      type: 'start';
      serving: Serving;
      host: string;
      publicOrigin: string;
      /** Requests without it in `x-session-lab-token` are refused (worker-token.ts). */
      token: string;
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

let server: { close(): Promise<void> } | undefined;
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
  serve(command).then(
    (running) => {
      server = running;
      report({ type: 'ready', port: running.port, warnings: running.warnings });
    },
    (error: Error) => {
      report({ type: 'failed', message: error.message }, () => process.exit(1));
    },
  );
});

async function serve(command: Extract<WorkerCommand, { type: 'start' }>) {
  const { serving, host, publicOrigin, token } = command;
  if (serving.kind === 'app') {
    const { appsModule, appName, ...mount } = serving;
    const { APPS } = (await import(pathToFileURL(appsModule).href)) as AppRegistryModule;
    const app = appNamed(APPS, appName);
    if (!app) throw new Error(`${appsModule} has no app "${appName}"`);
    return startServer({ ...mount, app, host, port: 0, publicOrigin, token });
  }
  const module = (await import(pathToFileURL(serving.resolver).href)) as ResolverModule;
  const running = await startHost({
    host,
    publicOrigin,
    token,
    resolve: module.resolver(serving.options),
    ...(serving.maxApps === undefined ? {} : { maxApps: serving.maxApps }),
    ...(serving.keepMinutes === undefined ? {} : { keepMinutes: serving.keepMinutes }),
  });
  return { ...running, warnings: [] };
}
