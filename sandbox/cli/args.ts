// Command-line flags → the options `run-sandbox.ts` runs with. Pure: no I/O beyond reading the --config file,
// and every mistake becomes a UsageError with one clear line (the CLI exits 2 on it).
import { parseArgs } from 'node:util';
import {
  ConfigError,
  DEFAULTS,
  defineConfig,
  LOCKING_MODES,
  type LockingMode,
  loadConfigFile,
  type SessionConfig,
  STORAGE_TYPES,
  type StorageType,
  TRANSPORTS,
  type TransportKind,
  WRITE_POLICIES,
  type WritePolicy,
} from '../engine/config.ts';
import { IniSyntaxError } from '../engine/ini.ts';
import { type AppRegistry, appNamed } from './apps.ts';

export const DEFAULT_PORT = 4400;
/** More workers than this only slows a laptop down; the lesson needs two. */
export const MAX_WORKERS = 16;

/** The help text, listing `apps`. */
export function usage(apps: AppRegistry): string {
  return `usage: npm run sandbox -- <app> [options]

apps:     ${Object.keys(apps).join(', ')}
options:
  --store ${STORAGE_TYPES.join('|')}   where sessions live (default: the app's own)
  --config FILE        an INI file with a [session] section; the flags below override it
  --port N             port on 127.0.0.1 (default ${DEFAULT_PORT}; 0 picks a free one)
  --workers N          run N processes behind a round-robin proxy (default 1)
  --write-policy P     ${WRITE_POLICIES.join('|')}
  --timeout MIN        idle timeout in minutes
  --transport T        ${TRANSPORTS.join('|')}   how the session id travels
  --locking L          ${LOCKING_MODES.join('|')}   one request per session at a time, or none
  --help               show this text`;
}

/** A mistake on the command line or in the config file: the CLI prints the message and exits 2. */
export class UsageError extends Error {
  /** Whether the usage text helps (a typo in a flag) or not (a bad line in a config file). */
  readonly showUsage: boolean;
  constructor(message: string, showUsage = true) {
    super(message);
    this.showUsage = showUsage;
  }
}

export interface CliOptions {
  appName: string;
  config: SessionConfig;
  /** The file the config came from, when one was given. */
  configFile: string | undefined;
  port: number;
  workers: number;
}

export type ParsedArgs = { help: true } | ({ help: false } & CliOptions);

/** `argv` (without node and the script) against the apps in `apps`. */
export function parseCliArgs(argv: string[], apps: AppRegistry): ParsedArgs {
  let values: Record<string, string | boolean | undefined>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        store: { type: 'string' },
        config: { type: 'string' },
        port: { type: 'string' },
        workers: { type: 'string' },
        'write-policy': { type: 'string' },
        timeout: { type: 'string' },
        transport: { type: 'string' },
        locking: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    throw new UsageError(shortParseError(error as Error & { code?: string }));
  }
  if (values.help) return { help: true };

  const [appName, ...extra] = positionals;
  if (appName === undefined) throw new UsageError('which app? name one, e.g. npm run sandbox -- counter');
  const app = appNamed(apps, appName);
  if (!app) {
    throw new UsageError(`unknown app "${appName}"; the apps are ${Object.keys(apps).join(', ')}`);
  }
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);

  const store = values.store as string | undefined;
  if (store !== undefined && !(STORAGE_TYPES as readonly string[]).includes(store)) {
    throw new UsageError(`unknown store "${store}"; the stores are ${STORAGE_TYPES.join(', ')}`);
  }
  const policy = values['write-policy'] as string | undefined;
  if (policy !== undefined && !(WRITE_POLICIES as readonly string[]).includes(policy)) {
    throw new UsageError(`unknown write policy "${policy}"; the policies are ${WRITE_POLICIES.join(', ')}`);
  }
  const transport = oneOf('transport', values.transport as string | undefined, TRANSPORTS);
  const locking = oneOf('locking', values.locking as string | undefined, LOCKING_MODES);
  const timeout = values.timeout === undefined ? undefined : Number(values.timeout);
  if (timeout !== undefined && !(Number.isFinite(timeout) && timeout > 0)) {
    throw new UsageError(`--timeout wants minutes above 0, got "${values.timeout}"`);
  }
  const port = integerFlag('port', values.port as string | undefined, DEFAULT_PORT, 0, 65_535);
  const workers = integerFlag('workers', values.workers as string | undefined, 1, 1, MAX_WORKERS);

  const configFile = values.config as string | undefined;
  // The app's default store applies only when neither the file nor --store names one.
  const base: SessionConfig = { ...DEFAULTS, storageType: app.defaultStore };
  const fromFile = configFile === undefined ? base : readConfig(configFile, base);
  const overrides: Partial<SessionConfig> = {};
  if (store !== undefined) overrides.storageType = store as StorageType;
  if (policy !== undefined) overrides.writePolicy = policy as WritePolicy;
  if (timeout !== undefined) overrides.timeout = timeout;
  if (transport !== undefined) overrides.transport = transport as TransportKind;
  if (locking !== undefined) overrides.locking = locking as LockingMode;
  let config: SessionConfig;
  try {
    // The same combination rules as a file (e.g. on-shutdown needs a store behind RAM).
    config = defineConfig({ ...fromFile, ...overrides });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    throw new UsageError(error.message.replace(/^config: /, 'these settings do not fit together: '), false);
  }
  return { help: false, appName, config, configFile, port, workers };
}

function oneOf(flag: string, value: string | undefined, allowed: readonly string[]): string | undefined {
  if (value !== undefined && !allowed.includes(value)) {
    throw new UsageError(`unknown ${flag} "${value}"; expected one of ${allowed.join(', ')}`);
  }
  return value;
}

function readConfig(path: string, base: SessionConfig): SessionConfig {
  try {
    return loadConfigFile(path, base);
  } catch (error) {
    if (error instanceof ConfigError || error instanceof IniSyntaxError) {
      throw new UsageError(error.message, false);
    }
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UsageError(`config file ${path} does not exist`, false);
    if (code === 'EISDIR') throw new UsageError(`config file ${path} is a directory`, false);
    if (code === 'EACCES')
      throw new UsageError(`config file ${path} cannot be read (permission denied)`, false);
    throw error;
  }
}

function integerFlag(name: string, raw: string | undefined, fallback: number, min: number, max: number) {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isInteger(n) || n < min || n > max) {
    throw new UsageError(`--${name} wants a whole number from ${min} to ${max}, got "${raw}"`);
  }
  return n;
}

/** node's parseArgs messages are long and suggest `--`; one short line is enough here. */
function shortParseError(error: Error & { code?: string }): string {
  const flag = /'(-[^']*)'/.exec(error.message)?.[1];
  if (error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && flag) return `unknown option ${flag}`;
  return error.message.split('\n')[0] ?? error.message;
}
