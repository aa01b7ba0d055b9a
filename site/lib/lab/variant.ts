// A demo variant is one app on one backend with a few settings, served under its own path:
//   /lab/<app>/<store>/<profile>/   e.g. /lab/counter/file/on-shutdown/, /lab/name-form/ram/url/
// Its own path means its own cookie Path, so every backend keeps its own session in the browser and
// switching back finds the earlier state. Paths are parsed strictly: anything unknown is a 404.
import { APPS, type AppName, isAppName } from '../../../lessons/apps.ts';
import {
  type LockingMode,
  STORAGE_TYPES,
  type StorageType,
  type TransportKind,
  UNSAFE_FLAWS,
  type UnsafeFlaw,
  type WritePolicy,
} from '../../../sandbox/engine/config.ts';

export interface Variant {
  app: AppName;
  store: StorageType;
  transport: TransportKind;
  writePolicy: WritePolicy;
  /** Idle timeout in minutes; undefined keeps the engine default. */
  timeout: number | undefined;
  locking: LockingMode;
  workers: 1 | 2;
  /** Defences switched off for an attack demo, in UNSAFE_FLAWS order; empty for every other demo. */
  flaws: UnsafeFlaw[];
}

/** Stores a demo may use; `custom` belongs to the db-store app only. */
const DEMO_STORES = STORAGE_TYPES;
/** The apps whose variants may switch defences off: the attack demos of chapter 11 run on the login app. */
export const FLAW_APPS: readonly string[] = ['login'];
/** The profile token of a flaw: `unsafe-adopt-client-ids`. */
const FLAW_TOKEN = 'unsafe-';

/** Short idle timeouts for the expiry demos, in seconds (the token is `t30s`). */
export const TIMEOUT_SECONDS = [15, 30, 60, 120] as const;

export const LAB_PREFIX = '/lab/';

export function defaultVariant(app: AppName, store?: StorageType): Variant {
  return {
    app,
    store: store ?? APPS[app].defaultStore,
    transport: 'cookie',
    writePolicy: 'on-change',
    timeout: undefined,
    locking: 'auto',
    workers: 1,
    flaws: [],
  };
}

/** The profile segment: `std`, or the non-default settings as dot-separated tokens in a fixed order. */
export function profileOf(v: Variant): string {
  const tokens: string[] = [];
  if (v.transport !== 'cookie') tokens.push(v.transport);
  if (v.writePolicy !== 'on-change') tokens.push(v.writePolicy);
  if (v.timeout !== undefined) tokens.push(`t${Math.round(v.timeout * 60)}s`);
  if (v.locking === 'none') tokens.push('nolock');
  if (v.workers === 2) tokens.push('w2');
  for (const flaw of UNSAFE_FLAWS) if (v.flaws.includes(flaw)) tokens.push(FLAW_TOKEN + flaw);
  return tokens.length ? tokens.join('.') : 'std';
}

/** The path a variant is mounted at, ending in `/`. */
export function variantBase(v: Variant): string {
  return `${LAB_PREFIX}${v.app}/${v.store}/${profileOf(v)}/`;
}

export function variantKey(v: Variant): string {
  return variantBase(v).slice(LAB_PREFIX.length, -1);
}

/** Reads `/lab/<app>/<store>/<profile>/…`; null for anything that is not exactly a known variant. */
export function parseLabPath(pathname: string): { variant: Variant; base: string } | null {
  if (!pathname.startsWith(LAB_PREFIX)) return null;
  const [app, store, profile] = pathname.slice(LAB_PREFIX.length).split('/');
  if (!app || !store || !profile || !isAppName(app)) return null;
  if (!(DEMO_STORES as readonly string[]).includes(store)) return null;
  if (store === 'custom' && app !== 'db-store') return null;
  const variant = defaultVariant(app, store as StorageType);
  if (profile !== 'std' && !applyProfile(variant, profile)) return null;
  const base = variantBase(variant);
  // Only the canonical spelling is accepted, so one variant never has two cookie paths.
  if (!pathname.startsWith(base) && `${pathname}/` !== base) return null;
  return { variant, base };
}

function applyProfile(v: Variant, profile: string): boolean {
  for (const token of profile.split('.')) {
    if (token === 'url' || token === 'hidden-field') v.transport = token;
    else if (token === 'always' || token === 'interval' || token === 'on-shutdown') v.writePolicy = token;
    else if (token === 'nolock') v.locking = 'none';
    else if (token === 'w2') v.workers = 2;
    else if (token.startsWith(FLAW_TOKEN) && FLAW_APPS.includes(v.app)) {
      const flaw = token.slice(FLAW_TOKEN.length);
      if (!(UNSAFE_FLAWS as readonly string[]).includes(flaw)) return false;
      v.flaws.push(flaw as UnsafeFlaw);
    } else if (
      /^t\d+s$/.test(token) &&
      (TIMEOUT_SECONDS as readonly number[]).includes(Number(token.slice(1, -1)))
    ) {
      v.timeout = Number(token.slice(1, -1)) / 60;
    } else return false;
  }
  return v.store !== 'cookie' || v.transport === 'cookie';
}

/** The `[session]` file a variant's sandbox process runs with. */
export function variantConfig(v: Variant, extra: Record<string, string> = {}): string {
  const lines = [
    '[session]',
    `storageType=${v.store}`,
    `transport=${v.transport}`,
    `writePolicy=${v.writePolicy}`,
  ];
  if (v.timeout !== undefined) lines.push(`timeout=${v.timeout}`);
  lines.push(`locking=${v.locking === 'none' ? 'none' : 'auto'}`, `cookiePath=${variantBase(v)}`);
  // Demo workers listen on loopback and hear only from the site, which tells them the visitor's scheme.
  lines.push('trustProxy=true');
  if (v.writePolicy === 'interval') lines.push('flushInterval=5');
  if (v.timeout !== undefined) lines.push('cleanUpDelay=0.25');
  if (v.flaws.length > 0) lines.push(`unsafeDemoFlaws=${v.flaws.join(',')}`);
  for (const [key, value] of Object.entries(extra)) lines.push(`${key}=${value}`);
  return `${lines.join('\n')}\n`;
}
