// Session configuration: the seed's `[session]` keys plus ours, checked once, with errors that name
// file, line and key. Request-time code only ever sees a normalised `SessionConfig`.
import { readFileSync } from 'node:fs';
import { type IniEntry, IniSyntaxError, parseIni } from './ini.ts';
import { LEASE_MS } from './locks.ts';
import { shortSecretProblem, splitSecrets } from './secret-rule.ts';

export const STORAGE_TYPES = [
  'ram',
  'file',
  'cookie',
  'sqlite',
  'postgres',
  'mysql',
  'redis',
  'custom',
] as const;
export type StorageType = (typeof STORAGE_TYPES)[number];

export const WRITE_POLICIES = ['on-change', 'always', 'interval', 'on-shutdown'] as const;
export type WritePolicy = (typeof WRITE_POLICIES)[number];

export const TRANSPORTS = ['cookie', 'url', 'hidden-field'] as const;
export type TransportKind = (typeof TRANSPORTS)[number];

/** `auto`: one request per session at a time in this process, plus the store's own lock across processes. */
export const LOCKING_MODES = ['auto', 'process', 'none'] as const;
export type LockingMode = (typeof LOCKING_MODES)[number];

export const SAME_SITE_VALUES = ['lax', 'strict', 'none'] as const;
export type SameSiteValue = (typeof SAME_SITE_VALUES)[number];

// #region unsafe-flaws
/**
 * Flaws a demo switches on to show an attack working (chapter 11), each undoing one defence:
 * - `adopt-client-ids`: a well-formed id with no live record starts a session under that very id
 *   (strict mode off, as CherryPy once did), so a planted id becomes the victim's;
 * - `keep-id-at-sign-in`: the login app skips `regenerate()` at sign-in (the engine only passes it on);
 * - `script-readable-cookie`: the session cookie is set without HttpOnly;
 * - `no-cross-site-check`: the engine no longer refuses cross-site form posts (cross-site.ts).
 * Never for a real deployment: the sandbox prints a warning naming each one at start.
 */
export const UNSAFE_FLAWS = [
  'adopt-client-ids',
  'keep-id-at-sign-in',
  'script-readable-cookie',
  'no-cross-site-check',
] as const;
// #endregion unsafe-flaws
export type UnsafeFlaw = (typeof UNSAFE_FLAWS)[number];

export interface SessionConfig {
  storageType: StorageType;
  /** Idle timeout in minutes (the seed's `timeout`); fractions allowed. */
  timeout: number;
  /** Absolute lifetime in minutes from creation; null for none. */
  absoluteTimeout: number | null;
  storageFileDir: string;
  cookieName: string;
  cookiePath: string;
  cookieSameSite: SameSiteValue;
  /** false: a browser-session cookie (no Max-Age); true: Max-Age follows `timeout`. */
  cookiePersistent: boolean;
  /** Minutes between sweeps of expired records. */
  cleanUpDelay: number;
  locking: LockingMode;
  /** Seconds a request waits for a session lock before it fails with 503 (`MIN_LEASED_LOCK_TIMEOUT`). */
  lockTimeout: number;
  writePolicy: WritePolicy;
  /** Seconds between flushes under `writePolicy = interval`. */
  flushInterval: number;
  transport: TransportKind;
  /** Cookie-store keys, newest first: sign and encrypt with the first, accept any. */
  secrets: string[];
  /** Connection URL (postgres, mysql, redis) or file path (sqlite); unset means the default. */
  databaseUrl: string | undefined;
  /**
   * Whether pages and `_inspect` may say where data lives: file paths, database URLs and users. A
   * public site turns it off; the visitor then sees a generic place ("table session_data (PostgreSQL)").
   */
  showLocations: boolean;
  /** Most sessions a RAM store keeps; the least recently used go first, never one used in the last 5 minutes. */
  maxSessions: number;
  /** Largest session, in bytes of JSON, any store accepts. */
  maxSessionBytes: number;
  /** Believe `X-Forwarded-Proto` (only behind a proxy you run). */
  trustProxy: boolean;
  /** Defences switched off on purpose for an attack demo (`UNSAFE_FLAWS`); empty everywhere else. */
  unsafeDemoFlaws: UnsafeFlaw[];
}

// #region defaults
export const DEFAULTS: SessionConfig = {
  storageType: 'ram',
  timeout: 60,
  absoluteTimeout: null,
  storageFileDir: '.data/sessions',
  cookieName: 'session_lab_id',
  cookiePath: '/',
  cookieSameSite: 'lax',
  cookiePersistent: false,
  cleanUpDelay: 5,
  locking: 'auto',
  lockTimeout: 10,
  writePolicy: 'on-change',
  flushInterval: 5,
  transport: 'cookie',
  secrets: [],
  databaseUrl: undefined,
  showLocations: true,
  maxSessions: 10_000,
  maxSessionBytes: 16_384,
  trustProxy: false,
  unsafeDemoFlaws: [],
};
// #endregion defaults

export class ConfigError extends Error {}

/** Stores whose lock is a lease other processes respect (lease-lock.ts `leaseLock`). */
const LEASED_STORES: readonly StorageType[] = ['file', 'sqlite', 'postgres', 'mysql', 'redis'];
/**
 * The shortest `lockTimeout` such a store can honour: longer than a lease (and a second for the
 * retries), so a request queued behind a process that died holding the lock gets it when the lease
 * lapses, instead of a 503 just before. Shorter is refused at load, unless locking is `process`/`none`
 * or a write policy keeps the sessions in this process's RAM (no cross-process lock then).
 */
export const MIN_LEASED_LOCK_TIMEOUT = LEASE_MS / 1000 + 1;

type Parser<K extends keyof SessionConfig> = (value: string) => SessionConfig[K];

const oneOf =
  <T extends string>(allowed: readonly T[]) =>
  (value: string): T => {
    if ((allowed as readonly string[]).includes(value)) return value as T;
    throw new Error(`got ${JSON.stringify(value)}, expected one of ${allowed.join(', ')}`);
  };

const positiveNumber = (value: string): number => {
  const n = Number(value);
  if (value === '' || !Number.isFinite(n) || n <= 0)
    throw new Error(`got ${JSON.stringify(value)}, expected a number above 0`);
  return n;
};

const wholeNumber = (value: string): number => {
  const n = positiveNumber(value);
  if (!Number.isInteger(n)) throw new Error(`got ${JSON.stringify(value)}, expected a whole number`);
  return n;
};

const bool = (value: string): boolean => {
  if (/^(true|yes|on|1)$/i.test(value)) return true;
  if (/^(false|no|off|0)$/i.test(value)) return false;
  throw new Error(`got ${JSON.stringify(value)}, expected true or false`);
};

const text = (value: string): string => {
  if (value === '') throw new Error('got an empty value, expected some text');
  return value;
};

const PARSERS: { [K in keyof SessionConfig]: Parser<K> } = {
  storageType: oneOf(STORAGE_TYPES),
  timeout: positiveNumber,
  absoluteTimeout: (v) => (v === '0' || v === 'none' ? null : positiveNumber(v)),
  storageFileDir: text,
  cookieName: (v) => {
    if (!/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(v))
      throw new Error(`got ${JSON.stringify(v)}, expected a cookie name (letters, digits, - _ .)`);
    return v;
  },
  cookiePath: (v) => {
    if (!v.startsWith('/') || /[;\s]/.test(v))
      throw new Error(`got ${JSON.stringify(v)}, expected a path starting with /`);
    return v;
  },
  cookieSameSite: oneOf(SAME_SITE_VALUES),
  cookiePersistent: bool,
  cleanUpDelay: positiveNumber,
  locking: oneOf(LOCKING_MODES),
  lockTimeout: positiveNumber,
  writePolicy: oneOf(WRITE_POLICIES),
  flushInterval: positiveNumber,
  transport: oneOf(TRANSPORTS),
  secrets: (v) => {
    const list = splitSecrets(v);
    const problem = shortSecretProblem(list);
    if (problem !== undefined) throw new Error(problem);
    return list;
  },
  databaseUrl: text,
  showLocations: bool,
  maxSessions: wholeNumber,
  maxSessionBytes: wholeNumber,
  trustProxy: bool,
  unsafeDemoFlaws: (v) => {
    const list = v
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
      .map(oneOf(UNSAFE_FLAWS));
    const repeated = list.find((flaw, i) => list.indexOf(flaw) !== i);
    if (repeated !== undefined) throw new Error(`got ${JSON.stringify(repeated)} twice`);
    return list;
  },
};

/** The INI key for each config field, where it differs (`secret` holds the `secrets` list). */
const KEY_NAMES: Partial<Record<keyof SessionConfig, string>> = { secrets: 'secret' };
const FIELD_BY_KEY = new Map<string, keyof SessionConfig>(
  (Object.keys(PARSERS) as (keyof SessionConfig)[]).map((field) => [KEY_NAMES[field] ?? field, field]),
);

/** Turns `[session]` entries into a config; unknown keys and bad values are errors. */
export function configFromEntries(
  entries: IniEntry[],
  fileName: string,
  base: SessionConfig = DEFAULTS,
): SessionConfig {
  const config: SessionConfig = { ...base };
  for (const entry of entries) {
    if (entry.section !== 'session') continue;
    const field = FIELD_BY_KEY.get(entry.key);
    const where = `${fileName}:${entry.line} ${entry.key}`;
    if (!field)
      throw new ConfigError(`${where}: unknown key; known keys are ${[...FIELD_BY_KEY.keys()].join(', ')}`);
    try {
      (config as unknown as Record<string, unknown>)[field] = PARSERS[field](entry.value);
    } catch (error) {
      throw new ConfigError(`${where}: ${(error as Error).message}`);
    }
  }
  return checkCombination(config, fileName);
}

/** Reads INI text; every problem, a broken line included, is a ConfigError naming file and line. */
export function parseConfig(text: string, fileName: string, base?: SessionConfig): SessionConfig {
  let entries: IniEntry[];
  try {
    entries = parseIni(text, fileName);
  } catch (error) {
    if (error instanceof IniSyntaxError) throw new ConfigError(error.message, { cause: error });
    throw error;
  }
  return configFromEntries(entries, fileName, base);
}

export function loadConfigFile(path: string, base?: SessionConfig): SessionConfig {
  return parseConfig(readFileSync(path, 'utf8'), path, base);
}

/**
 * Builds a config from code, checked by the same rules as a file: every value goes through the
 * parser its INI key uses. A field given as `undefined` counts as not given.
 */
export function defineConfig(overrides: Partial<SessionConfig> = {}): SessionConfig {
  const given = Object.fromEntries(Object.entries(overrides).filter(([, value]) => value !== undefined));
  const config = { ...DEFAULTS, ...given } as SessionConfig;
  for (const [field, value] of Object.entries(config)) checkValue(field, value, 'config');
  return checkCombination(config, 'config');
}

/** Checks one code-given value: its INI form must parse back to the very same value. */
function checkValue(field: string, value: unknown, fileName: string): void {
  if (!Object.hasOwn(PARSERS, field)) {
    throw new ConfigError(
      `${fileName}: unknown key ${field}; known keys are ${Object.keys(PARSERS).join(', ')}`,
    );
  }
  const key = field as keyof SessionConfig;
  const name = KEY_NAMES[key] ?? key;
  if ((key === 'databaseUrl' && value === undefined) || (key === 'absoluteTimeout' && value === null)) return;
  const asText = Array.isArray(value) ? value.join(',') : String(value);
  let parsed: unknown;
  try {
    parsed = PARSERS[key](asText);
  } catch (error) {
    throw new ConfigError(`${fileName}: ${name}: ${(error as Error).message}`);
  }
  if (JSON.stringify(parsed) !== JSON.stringify(value) || typeof parsed !== typeof value) {
    const expected = Array.isArray(parsed)
      ? 'a list of strings'
      : parsed === null
        ? 'null (none)'
        : `a ${typeof parsed}`;
    const shown = key === 'secrets' ? `${typeof value}` : `${JSON.stringify(value)} (${typeof value})`;
    throw new ConfigError(`${fileName}: ${name}: got ${shown}, expected ${expected}`);
  }
}

/** The line the sandbox prints at start when a config switches defences off; undefined when none is. */
export function unsafeWarning(config: SessionConfig): string | undefined {
  if (config.unsafeDemoFlaws.length === 0) return undefined;
  return `UNSAFE ON PURPOSE: unsafeDemoFlaws = ${config.unsafeDemoFlaws.join(', ')}; for attack demos only, never for real sessions`;
}

function checkCombination(config: SessionConfig, fileName: string): SessionConfig {
  const buffered = config.writePolicy === 'interval' || config.writePolicy === 'on-shutdown';
  if (buffered && (config.storageType === 'ram' || config.storageType === 'cookie')) {
    throw new ConfigError(
      `${fileName}: writePolicy=${config.writePolicy} keeps sessions in RAM and writes them to a store behind it; ` +
        `storageType=${config.storageType} has nothing behind it (use file, sqlite, postgres, mysql or redis)`,
    );
  }
  if (config.storageType === 'cookie' && config.transport !== 'cookie') {
    throw new ConfigError(
      `${fileName}: storageType=cookie keeps the data in a cookie, so it needs transport=cookie`,
    );
  }
  const leased = config.locking === 'auto' && !buffered && LEASED_STORES.includes(config.storageType);
  if (leased && config.lockTimeout < MIN_LEASED_LOCK_TIMEOUT) {
    throw new ConfigError(
      `${fileName}: lockTimeout=${config.lockTimeout} is too short for storageType=${config.storageType}: ` +
        `its lock is a ${LEASE_MS / 1000} s lease, so a request waiting behind a process that died holding ` +
        `the lock would give up with a 503 before the lease lapses. Use lockTimeout = ${MIN_LEASED_LOCK_TIMEOUT} ` +
        'or more, or locking = process (one process only)',
    );
  }
  if (config.cookieSameSite === 'none' && config.transport === 'cookie') {
    // Browsers drop SameSite=None without Secure; the engine adds Secure on https only.
    throw new ConfigError(`${fileName}: cookieSameSite=none needs https; use lax or strict here`);
  }
  return config;
}
