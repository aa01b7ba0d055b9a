// Build-time: checks a <Demo>'s props and turns them into the variant paths the page needs. A prop
// combination that has no demo path is an error here, when the chapter is built, never a 404 later.
import { APPS, type AppName, isAppName } from '../../../lessons/apps.ts';
import {
  DEFAULTS,
  type StorageType,
  TRANSPORTS,
  type TransportKind,
  UNSAFE_FLAWS,
  type UnsafeFlaw,
  WRITE_POLICIES,
  type WritePolicy,
} from '../../../sandbox/engine/config.ts';
import { STORE_LABELS, storesFor } from '../lab/backends.ts';
import { ATTACKED_APP } from '../lab/other-site.ts';
import {
  FLAW_APPS,
  parseLabPath,
  TIMEOUT_SECONDS,
  type Variant,
  variantBase,
  variantKey,
} from '../lab/variant.ts';

export const CONTROLS = ['restart', 'kill'] as const;
/** Chapter 11's attacks played beside a login demo (DemoAttack.astro), each on the transport it needs. */
export const ATTACKS = { fixation: 'url', 'stolen-id': 'cookie' } as const satisfies Record<
  string,
  TransportKind
>;
export type Attack = keyof typeof ATTACKS;
export type Control = (typeof CONTROLS)[number];
/** More parallel requests than this would only measure the machine, not the locking. */
export const MAX_BURST = 50;

export interface DemoProps {
  app: AppName;
  store?: StorageType;
  transport?: TransportKind;
  writePolicy?: WritePolicy;
  /** Idle timeout in minutes; one of TIMEOUT_SECONDS / 60. */
  timeout?: number;
  locking?: 'auto' | 'none';
  workers?: 1 | 2;
  controls?: Control[];
  burst?: number;
  tamper?: boolean;
  /** Chapter 11's CSRF demo: an attacker's page beside the app that posts to its `email` route. */
  otherSite?: boolean;
  /** Chapter 11's fixation or stolen-id attack: an attacker's panel beside the login demo. */
  attack?: Attack;
  title?: string;
  /** Defences switched off on purpose for an attack demo (the login app only), e.g. ['adopt-client-ids']. */
  unsafe?: UnsafeFlaw[];
}

export interface BackendChoice {
  store: StorageType;
  label: string;
  /** The variant path for this store with the demo's other settings; null when that has no path. */
  base: string | null;
  /** Why `base` is null. */
  reason?: string;
}

export interface ResolvedDemo {
  variant: Variant;
  base: string;
  key: string;
  title: string;
  backends: BackendChoice[];
  controls: Control[];
  burst: number;
  tamper: boolean;
  otherSite: boolean;
  attack: Attack | null;
  /** The name the id travels under (cookie, query parameter or form field). */
  idName: string;
}

const show = (value: unknown): string => (value === undefined ? 'undefined' : JSON.stringify(value));

function oneOf<T extends string | number>(prop: string, value: unknown, allowed: readonly T[]): T {
  if (allowed.includes(value as T)) return value as T;
  throw new Error(
    `<Demo ${prop}={${show(value)}}>: expected one of ${allowed.map((a) => show(a)).join(', ')}`,
  );
}

export function resolveDemo(props: DemoProps): ResolvedDemo {
  const app = props.app as string;
  if (!isAppName(app)) oneOf('app', app, Object.keys(APPS));
  const name = app as AppName;
  const stores = storesFor(name);
  const store = oneOf('store', props.store ?? APPS[name].defaultStore, stores);
  const timeoutSeconds = TIMEOUT_SECONDS.map((s) => s / 60);
  const variant: Variant = {
    app: name,
    store,
    transport: oneOf('transport', props.transport ?? 'cookie', TRANSPORTS),
    writePolicy: oneOf('writePolicy', props.writePolicy ?? 'on-change', WRITE_POLICIES),
    timeout: props.timeout === undefined ? undefined : oneOf('timeout', props.timeout, timeoutSeconds),
    locking: oneOf('locking', props.locking ?? 'auto', ['auto', 'none'] as const),
    workers: oneOf('workers', props.workers ?? 1, [1, 2] as const),
    flaws: unsafeFlaws(name, props.unsafe),
  };
  const base = pathOf(variant);
  if (!base) {
    throw new Error(
      `<Demo app="${name}" store="${store}" transport="${variant.transport}">: this combination has no demo: the cookie store carries the session in a cookie, so it needs transport="cookie"`,
    );
  }
  const controls = (props.controls ?? []).map((c) => oneOf('controls', c, CONTROLS));
  const burst = props.burst ?? 0;
  if (!Number.isInteger(burst) || (burst !== 0 && (burst < 2 || burst > MAX_BURST))) {
    throw new Error(`<Demo burst={${show(props.burst)}}>: expected a whole number from 2 to ${MAX_BURST}`);
  }
  if (props.tamper !== undefined && typeof props.tamper !== 'boolean') {
    throw new Error(`<Demo tamper={${show(props.tamper)}}>: expected true or false`);
  }
  if (props.otherSite !== undefined && typeof props.otherSite !== 'boolean') {
    throw new Error(`<Demo otherSite={${show(props.otherSite)}}>: expected true or false`);
  }
  if (props.otherSite && (name as string) !== ATTACKED_APP) {
    throw new Error(`<Demo otherSite>: the other site attacks the ${ATTACKED_APP} app's email route only`);
  }
  const attack =
    props.attack === undefined ? null : oneOf('attack', props.attack, Object.keys(ATTACKS) as Attack[]);
  if (attack && (!FLAW_APPS.includes(name) || variant.transport !== ATTACKS[attack])) {
    throw new Error(
      `<Demo attack="${attack}">: plays on a ${FLAW_APPS.join(', ')} demo with transport="${ATTACKS[attack]}"`,
    );
  }
  return {
    variant,
    base,
    key: variantKey(variant),
    title: props.title ?? APPS[name].title,
    backends: stores.map((s) => backendChoice(variant, s)),
    controls,
    burst,
    tamper: props.tamper ?? false,
    otherSite: props.otherSite ?? false,
    attack,
    idName: DEFAULTS.cookieName,
  };
}

/** The demo's flaws in canonical order (UNSAFE_FLAWS), checked: known names, no repeats, an app that has them. */
function unsafeFlaws(app: AppName, given: unknown): UnsafeFlaw[] {
  if (given === undefined) return [];
  if (!Array.isArray(given)) throw new Error(`<Demo unsafe={${show(given)}}>: expected a list of flaws`);
  const flaws = given.map((flaw) => oneOf('unsafe', flaw, UNSAFE_FLAWS));
  if (new Set(flaws).size !== flaws.length)
    throw new Error(`<Demo unsafe={${show(given)}}>: a flaw is repeated`);
  if (flaws.length > 0 && !FLAW_APPS.includes(app)) {
    throw new Error(
      `<Demo app="${app}" unsafe={…}>: only ${FLAW_APPS.join(', ')} demos may switch defences off`,
    );
  }
  return UNSAFE_FLAWS.filter((flaw) => flaws.includes(flaw));
}

/** The canonical path, or null when the lab router would refuse it. */
function pathOf(variant: Variant): string | null {
  const base = variantBase(variant);
  return parseLabPath(base)?.base === base ? base : null;
}

function backendChoice(variant: Variant, store: StorageType): BackendChoice {
  const base = pathOf({ ...variant, store });
  const choice: BackendChoice = { store, label: STORE_LABELS[store], base };
  if (!base) choice.reason = `needs transport="cookie": the cookie store carries the session in a cookie`;
  return choice;
}
