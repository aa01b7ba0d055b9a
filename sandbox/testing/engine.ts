// Engine tests without sockets: an engine on a RAM store (or any store), a browser stand-in, a store
// that counts its calls or can be switched off, and a reader for Set-Cookie lines.
import { defineConfig, type SessionConfig } from '../engine/config.ts';
import type { App, Engine } from '../engine/engine.ts';
import { StoreUnavailableError } from '../engine/errors.ts';
import { hashId } from '../engine/ids.ts';
import type { SessionRecord, Store } from '../engine/types.ts';
import { Inspector, type InspectorOptions } from '../inspector/inspector.ts';
import { ramStore } from '../stores/ram.ts';
import { createTransport } from '../transports/index.ts';
import { TestClient } from './client.ts';
import { MemoryCookies } from './cookies.ts';

export const COOKIE = 'session_lab_id';

export interface Lab {
  engine: Engine;
  store: Store;
  /** A new browser: its own cookie jar. */
  client(origin?: string): TestClient;
}

/** An engine on `store` (a fresh RAM store by default) serving `app`, with the inspector's `_inspect`. */
export function lab(
  app: App,
  config: Partial<SessionConfig> = {},
  store: Store = ramStore({ maxSessions: 1_000 }),
  options: InspectorOptions = {},
): Lab {
  const full = defineConfig(config);
  const inspector = new Inspector(full, store, createTransport(full), options);
  return {
    engine: inspector.engine,
    store,
    client: (origin) => new TestClient((request) => inspector.handle(request, app), origin),
  };
}

/** What the store holds under a session id (it files it under the id's hash), read directly. */
export function recordOf(store: Store, id: string): Promise<SessionRecord | null> {
  return store.load(hashId(id), new MemoryCookies());
}

export interface SpyStore extends Store {
  /** Every call, in order, by method name. */
  readonly calls: string[];
}

/** Passes every call through to `inner` and writes its name down. */
export function spyStore(inner: Store): SpyStore {
  const calls: string[] = [];
  const spy: SpyStore = {
    name: inner.name,
    calls,
    load: (key, cookies) => {
      calls.push('load');
      return inner.load(key, cookies);
    },
    save: (key, record, cookies) => {
      calls.push('save');
      return inner.save(key, record, cookies);
    },
  };
  if (inner.destroy) {
    const destroy = inner.destroy.bind(inner);
    spy.destroy = (key, cookies) => {
      calls.push('destroy');
      return destroy(key, cookies);
    };
  }
  if (inner.sweep) {
    const sweep = inner.sweep.bind(inner);
    spy.sweep = (now) => {
      calls.push('sweep');
      return sweep(now);
    };
  }
  if (inner.inspect) {
    const inspect = inner.inspect.bind(inner);
    spy.inspect = (key, cookies) => {
      calls.push('inspect');
      return inspect(key, cookies);
    };
  }
  return spy;
}

export type Health = 'up' | 'down' | 'hang';

export interface FlakyStore extends Store {
  /** `down`: every call rejects with StoreUnavailableError; `hang`: every call never settles. */
  health: Health;
}

/** A store in front of `inner` that can be taken down or made to hang, like a server that stopped answering. */
export function flakyStore(inner: Store): FlakyStore {
  const gate = <T>(store: FlakyStore, work: () => Promise<T>): Promise<T> => {
    if (store.health === 'down') {
      return Promise.reject(
        new StoreUnavailableError(inner.name, 'connection refused', 'Start the server and try again.'),
      );
    }
    if (store.health === 'hang') return new Promise<T>(() => {});
    return work();
  };
  const flaky: FlakyStore = {
    name: inner.name,
    health: 'up',
    load: (key, cookies) => gate(flaky, () => inner.load(key, cookies)),
    save: (key, record, cookies) => gate(flaky, () => inner.save(key, record, cookies)),
    destroy: (key, cookies) => gate(flaky, () => inner.destroy?.(key, cookies) ?? Promise.resolve()),
  };
  return flaky;
}

export interface ParsedSetCookie {
  name: string;
  value: string;
  /** Attribute names in lower case; flags map to `true`. */
  attributes: Map<string, string | true>;
}

/** Reads one Set-Cookie line the way a browser would split it. */
export function parseSetCookie(line: string): ParsedSetCookie {
  const [pair = '', ...rest] = line.split(';');
  const eq = pair.indexOf('=');
  const attributes = new Map<string, string | true>();
  for (const part of rest) {
    const at = part.indexOf('=');
    if (at < 0) attributes.set(part.trim().toLowerCase(), true);
    else attributes.set(part.slice(0, at).trim().toLowerCase(), part.slice(at + 1).trim());
  }
  return { name: pair.slice(0, eq).trim(), value: pair.slice(eq + 1).trim(), attributes };
}

/** The Set-Cookie lines for one cookie name, parsed. */
export function cookiesNamed(setCookie: string[], name = COOKIE): ParsedSetCookie[] {
  return setCookie.map(parseSetCookie).filter((cookie) => cookie.name === name);
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
