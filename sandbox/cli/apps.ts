// What the CLI serves: apps from a registry its caller hands it (the lessons keep theirs), so nothing in
// the sandbox knows an app by name. Worker processes find their app by importing the registry's module.
import type { SessionConfig, StorageType } from '../engine/config.ts';
import type { App } from '../engine/engine.ts';
import type { CustomStoreFunctions } from '../stores/custom.ts';

/** What an app needs at start: the handler, and for `storageType = custom` the save/load pair behind it. */
export interface AppInstance {
  app: App;
  custom?: CustomStoreFunctions;
  close?(): Promise<void>;
}

/** One servable app. */
export interface SandboxApp {
  title: string;
  /** The store used when none is chosen. */
  defaultStore: StorageType;
  create(config: SessionConfig): Promise<AppInstance>;
}

/** Apps by the name the command line uses (`npm run sandbox -- <name>`). */
export type AppRegistry = Readonly<Record<string, SandboxApp>>;

/** What a registry module exports. */
export interface AppRegistryModule {
  APPS: AppRegistry;
}

/** A registry and the path of the module that exports it as `APPS` (for worker processes). */
export interface AppSource {
  apps: AppRegistry;
  module: string;
}

/** The app called `name` in `apps`, or undefined (never an inherited property). */
export function appNamed(apps: AppRegistry, name: string): SandboxApp | undefined {
  return Object.hasOwn(apps, name) ? apps[name] : undefined;
}
