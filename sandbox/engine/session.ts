// The session an app sees: the seed's `sessionMap`, grown up. Data lives in a Map (so a key named
// `get` or `save` is just data), values are JSON and are copied at `set`.
import { generateId, maskId } from './ids.ts';
import type { JsonValue, SessionData, SessionRecord } from './types.ts';

/**
 * What the engine must do after the app has run: keep (save if needed), destroy (delete record and
 * cookie), and two lab actions: expire (keep the record but end its life now) and forget (drop the
 * cookie, leave the record behind, as a new visitor would).
 */
export type SessionFate = 'keep' | 'destroy' | 'expire' | 'forget';

/** The engine's handle for the lab actions; apps have no reason to hold it. */
export const SET_FATE = Symbol('session-lab.setFate');

export class SessionValueError extends TypeError {}

export class Session {
  /** The id the client holds, or undefined until this new session first stores something. */
  #id: string | undefined;
  /** The id that was loaded, kept so `regenerate()` can delete its record. */
  readonly #loadedId: string | undefined;
  readonly #data: Map<string, JsonValue>;
  /** The data as loaded, serialised, to tell a real change from a rewrite of the same value. */
  readonly #loadedJson: string;
  readonly #createdAt: number;
  #expiresAt: number | undefined;
  #fate: SessionFate = 'keep';
  /** True once `get` or `entries` handed out an object or array the app may change in place. */
  #lent = false;

  /** The client's unknown id the engine adopted (the `adopt-client-ids` demo flaw), if any. */
  readonly #adopted: string | undefined;

  /**
   * `adopt`: start this new session under `id` although no record has it (only the unsafe demo flaw
   * `adopt-client-ids` does that); otherwise a session without a record gets an id of our own.
   */
  constructor(id: string | undefined, record: SessionRecord | null, now: number, adopt = false) {
    this.#adopted = !record && adopt ? id : undefined;
    this.#id = record ? id : this.#adopted;
    this.#loadedId = record ? id : undefined;
    this.#data = new Map(Object.entries(record?.data ?? {}));
    this.#loadedJson = JSON.stringify(record?.data ?? {});
    this.#createdAt = record?.createdAt ?? now;
    this.#expiresAt = record?.expiresAt;
  }

  get(key: string): JsonValue | undefined {
    const value = this.#data.get(key);
    if (typeof value === 'object' && value !== null) this.#lent = true;
    return value;
  }

  set(key: string, value: JsonValue): this {
    const copy = copyJson(value, key);
    if (this.#fate === 'destroy') {
      // A value set after destroy() (a "you are logged out" note) starts a new session under a new
      // id rather than vanishing; the engine deletes the old record, as after regenerate().
      this.#fate = 'keep';
      this.#id = generateId();
    }
    this.#data.set(key, copy);
    this.#id ??= generateId();
    return this;
  }

  has(key: string): boolean {
    return this.#data.has(key);
  }

  delete(key: string): boolean {
    return this.#data.delete(key);
  }

  clear(): void {
    this.#data.clear();
  }

  entries(): [string, JsonValue][] {
    if (this.#data.size > 0) this.#lent = true;
    return [...this.#data.entries()];
  }

  get size(): number {
    return this.#data.size;
  }

  /** A new id for the same data: call it when privilege changes (login), against fixation. */
  regenerate(): void {
    this.#id = generateId();
  }

  /** Forget this session: the record is deleted and the client is told to drop its id. */
  destroy(): void {
    this.#fate = 'destroy';
    this.#data.clear();
  }

  /** True when the client brought no valid, live session with this request. */
  get isNew(): boolean {
    return this.#loadedId === undefined;
  }

  /** When the stored record stops being served, or undefined before it is first stored. */
  get expiresAt(): Date | undefined {
    return this.#expiresAt === undefined ? undefined : new Date(this.#expiresAt);
  }

  /** The id, shortened for display; never the whole token. */
  get maskedId(): string | undefined {
    return this.#id === undefined ? undefined : maskId(this.#id);
  }

  // ---- For the engine, not for apps. ----

  get id(): string | undefined {
    return this.#fate === 'destroy' || this.#fate === 'forget' ? undefined : this.#id;
  }

  [SET_FATE](fate: SessionFate): void {
    this.#fate = fate;
  }

  get loadedId(): string | undefined {
    return this.#loadedId;
  }

  /** The adopted client id while this session still goes by it (not regenerated, not destroyed). */
  get adoptedId(): string | undefined {
    return this.#adopted !== undefined && this.id === this.#adopted ? this.#adopted : undefined;
  }

  get fate(): SessionFate {
    return this.#fate;
  }

  get createdAt(): number {
    return this.#createdAt;
  }

  /** The data as one JSON object, ready for a store. */
  toData(): SessionData {
    return Object.fromEntries(this.#data);
  }

  /**
   * The data as JSON text, checked as `set` checks: an object the app got from `get` and changed in
   * place (a Date pushed into a list) throws SessionValueError instead of being saved as a string or
   * `{}`. The check rides on the one serialisation the engine makes, and only when a value was lent.
   */
  toJson(data: SessionData = this.toData()): string {
    return this.#lent ? checkedJson(data) : JSON.stringify(data);
  }

  /** True when the data differs from what was loaded. */
  get changed(): boolean {
    return JSON.stringify(this.toData()) !== this.#loadedJson;
  }

  /** The data as loaded, as JSON: the engine compares its own serialisation with it (one per save). */
  get loadedJson(): string {
    return this.#loadedJson;
  }

  get regenerated(): boolean {
    return this.#loadedId !== undefined && this.#id !== this.#loadedId;
  }

  markStored(expiresAt: number): void {
    this.#expiresAt = expiresAt;
  }
}

const JSON_ONLY = 'sessions hold JSON only (null, boolean, number, string, array, plain object)';

/**
 * Copies a JSON value, or throws naming the key path and the first thing that is not JSON.
 * `parents` holds the objects being copied around this one, to name a cycle instead of overflowing.
 */
function copyJson(value: unknown, path: string, parents: object[] = []): JsonValue {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'object' && parents.includes(value)) {
    throw new SessionValueError(
      `session value ${path} refers back to an object that contains it; ${JSON_ONLY}`,
    );
  }
  if (Array.isArray(value)) {
    parents.push(value);
    try {
      return value.map((item, i) => copyJson(item, `${path}[${i}]`, parents));
    } finally {
      parents.pop();
    }
  }
  if (isPlainObject(value)) {
    parents.push(value);
    try {
      const out: Record<string, JsonValue> = {};
      for (const [k, v] of Object.entries(value)) {
        // defineProperty, not `out[k] = …`: a key named `__proto__` (JSON.parse makes those) stays
        // data instead of replacing the copy's prototype.
        Object.defineProperty(out, k, {
          value: copyJson(v, `${path}.${k}`, parents),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return out;
    } finally {
      parents.pop();
    }
  }
  throw new SessionValueError(`session value ${path} is ${describeValue(value)}; ${JSON_ONLY}`);
}

/** JSON.stringify that throws, naming the key path, at the first value `set` would have refused. */
function checkedJson(data: SessionData): string {
  const paths = new WeakMap<object, string>([[data, '']]);
  // `this` is the object or array holding `key`; `holder[key]` is the value before any toJSON (a Date's).
  function check(this: unknown, key: string, converted: unknown): unknown {
    const holder = this as Record<string, unknown>;
    if (converted === data && key === '') return data;
    const value = holder[key];
    const above = paths.get(holder as object) ?? '';
    const path = above === '' ? key : Array.isArray(holder) ? `${above}[${key}]` : `${above}.${key}`;
    if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
    if (typeof value === 'number' && Number.isFinite(value)) return value;
    if (Array.isArray(value) || isPlainObject(value)) {
      paths.set(value, path);
      return value;
    }
    throw new SessionValueError(`session value ${path} is ${describeValue(value)}; ${JSON_ONLY}`);
  }
  try {
    return JSON.stringify(data, check);
  } catch (error) {
    if (error instanceof SessionValueError) throw error;
    // JSON.stringify's own TypeError: a value that refers back to an object containing it.
    throw new SessionValueError(`a session value refers back to an object that contains it; ${JSON_ONLY}`, {
      cause: error,
    });
  }
}

/** Plain data: `{}` literals, JSON.parse results and `Object.create(null)` dictionaries. */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** `undefined`, `NaN`, `a Date`, `a function`: what the value is, for the error message. */
function describeValue(value: unknown): string {
  if (value === undefined || typeof value === 'number') return String(value);
  if (typeof value === 'object' && value !== null) return `a ${value.constructor?.name || 'object'}`;
  return `a ${typeof value}`;
}
