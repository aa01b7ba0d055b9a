// For the CLI and supervisor tests: start the CLI (`entry`, by default on the test apps) as a real process, read the URL it prints, talk to it
// over real HTTP with a cookie jar, and make sure every process started is gone when the tests end.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TestClient } from './client.ts';

/** The CLI on the test apps (sandbox/testing/apps.ts); lessons pass their own entry point. */
export const MAIN = fileURLToPath(new URL('./sandbox-main.ts', import.meta.url));
const START_MS = 15_000;
const EXIT_MS = 15_000;

export interface CliRun {
  child: ChildProcess;
  url: string;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code (or the signal) once the process is gone. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const started = new Set<ChildProcess>();

/** Runs the CLI to completion (for runs that should fail at start): exit code and output. */
export async function runCli(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}, entry = MAIN) {
  const { child, exited, stdout, stderr } = launch(args, cwd, env, entry);
  const { code } = await bounded(exited, EXIT_MS, `the CLI did not exit: ${args.join(' ')}`);
  started.delete(child);
  return { code, stdout: stdout(), stderr: stderr() };
}

/** Starts the CLI and resolves once it has printed its URL. */
export async function startCli(
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv = {},
  entry = MAIN,
): Promise<CliRun> {
  const run = launch(args, cwd, env, entry);
  const url = await bounded(
    new Promise<string>((resolve, reject) => {
      const look = () => {
        const found = /http:\/\/127\.0\.0\.1:\d+\//.exec(run.stdout());
        if (found) resolve(found[0]);
      };
      run.child.stdout?.on('data', look);
      run.exited.then(({ code, signal }) =>
        reject(new Error(`the CLI exited (${signal ?? code}) before serving:\n${run.stderr()}`)),
      );
    }),
    START_MS,
    `the CLI printed no URL within ${START_MS / 1000} s: ${args.join(' ')}`,
  );
  return { ...run, url };
}

function launch(args: string[], cwd: string, env: NodeJS.ProcessEnv, entry: string) {
  const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', entry, ...args], {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.add(child);
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    err += chunk;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      started.delete(child);
      resolve({ code, signal });
    });
  });
  return { child, exited, stdout: () => out, stderr: () => err };
}

/** Sends `signal` and waits (bounded) until the process has exited. */
export async function stopCli(run: CliRun, signal: NodeJS.Signals = 'SIGKILL') {
  if (run.child.exitCode === null && run.child.signalCode === null) run.child.kill(signal);
  return bounded(run.exited, EXIT_MS, `the CLI (pid ${run.child.pid}) did not exit after ${signal}`);
}

/** For `after()`: SIGKILL anything still running (workers follow their supervisor out: IPC disconnect). */
export function killAll(): void {
  for (const child of started) child.kill('SIGKILL');
  started.clear();
}

export async function bounded<T>(work: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      work,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(message)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** A browser stand-in over real HTTP (TestClient's cookie jar, the network's fetch). */
export function httpClient(url: string): TestClient {
  return new TestClient((request) => fetch(request), url);
}

/** The counter app's number on the page, or NaN when the page has none (an error page). */
export function countOf(text: string): number {
  return Number(/<output id="count">(\d+)<\/output>/.exec(text)?.[1] ?? Number.NaN);
}

/** A fresh temp dir, removed by the returned function. */
export function tempDir(prefix: string): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), `session-lab-${prefix}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Writes a `[session]` INI file into `dir`; returns its path. */
export function writeConfig(dir: string, name: string, entries: Record<string, string | number>): string {
  const path = join(dir, name);
  const lines = Object.entries(entries).map(([key, value]) => `${key}=${value}`);
  writeFileSync(path, `[session]\n${lines.join('\n')}\n`);
  return path;
}

/** Polls `check` every 20 ms until it holds; fails with `message` after `ms`. */
export async function waitFor(check: () => boolean, ms: number, message: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(message);
    await sleep(20);
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
