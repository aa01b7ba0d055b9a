// `npm run sandbox -- <app> [options]`: wiring and printing only. The entry point, which holds the apps,
// hands them in. Exit codes: 0 after a clean stop, 1 when the server cannot start, 2 for a mistake
// in the flags or the config file, 130 when forced.
import { ConfigError } from '../engine/config.ts';
import type { AppSource } from './apps.ts';
import { type CliOptions, parseCliArgs, UsageError, usage } from './args.ts';
import { banner } from './banner.ts';
import { startServer } from './server.ts';
import { startSandbox } from './supervisor.ts';

function fail(message: string, code: number, help?: string): never {
  console.error(`session-lab: ${message}`);
  if (help) console.error(`\n${help}`);
  process.exit(code);
}

interface Running {
  url: string;
  notes: string[];
  warnings: string[];
  workers: { pid: number | undefined; port: number | undefined }[];
  config: CliOptions['config'];
  close(): Promise<void>;
}

async function start(source: AppSource, options: CliOptions): Promise<Running> {
  const { appName, config, port } = options;
  const app = source.apps[appName];
  if (!app) throw new Error(`no app "${appName}"`);
  if (options.workers === 1) {
    const server = await startServer({ app, config, port });
    return { ...server, workers: [], close: server.close };
  }
  const sandbox = await startSandbox({
    appsModule: source.module,
    appName,
    config,
    port,
    workers: options.workers,
  });
  return {
    url: sandbox.url,
    notes: sandbox.notes,
    warnings: sandbox.warnings,
    workers: sandbox.workers,
    config: sandbox.config,
    close: sandbox.stop,
  };
}

/** Runs the CLI on `argv` (without node and the script) until a signal stops it. */
export async function runSandbox(source: AppSource, argv: string[]): Promise<void> {
  let options: CliOptions;
  try {
    const parsed = parseCliArgs(argv, source.apps);
    if (parsed.help) {
      console.log(usage(source.apps));
      process.exit(0);
    }
    options = parsed;
  } catch (error) {
    if (error instanceof UsageError) fail(error.message, 2, error.showUsage ? usage(source.apps) : undefined);
    throw error;
  }

  let running: Running;
  try {
    running = await start(source, options);
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message, 2);
    fail(`cannot start: ${(error as Error).message}`, 1);
  }

  console.log(
    banner({
      appName: options.appName,
      title: source.apps[options.appName]?.title ?? options.appName,
      url: running.url,
      config: running.config,
      configFile: options.configFile,
      pid: process.pid,
      workers: running.workers,
      notes: running.notes,
    }),
  );
  for (const warning of running.warnings) console.error(`[session-lab] warning: ${warning}`);

  let stopping = false;
  function onSignal(signal: NodeJS.Signals): void {
    if (stopping) {
      console.error(`session-lab: ${signal} again, exiting now (buffered sessions not yet written are lost)`);
      process.exit(130);
    }
    stopping = true;
    console.error(`session-lab: ${signal}, stopping (writing buffered sessions, closing the store)…`);
    running.close().then(
      () => process.exit(0),
      (error: Error) => fail(`did not stop cleanly: ${error.message}`, 1),
    );
  }
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}
