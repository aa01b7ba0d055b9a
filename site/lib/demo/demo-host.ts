// What a demo's helpers (its buttons, its attack panel) may use of the demo they serve. The demo element
// (session-demo.ts) implements it; the helpers import only this, so their imports point one way.
import type { TransportKind } from '../../../sandbox/engine/config.ts';
import type { Answer, InspectAnswer } from './api.ts';
import type { DemoFrame } from './frame.ts';

export interface DemoHost extends HTMLElement {
  /** Where the demo app is mounted, ending in `/`. */
  readonly base: string;
  /** The demo's key in the catalog (its app and variant). */
  readonly key: string;
  readonly transport: TransportKind;
  /** The id's name in URLs and forms (url and hidden-field transports). */
  readonly idName: string;
  /** The last inspection drawn, if any. */
  readonly last: InspectAnswer | null;
  readonly frame: DemoFrame;
  /** The pid of the demo process that answered the last inspection. */
  readonly worker: string | null;
  currentId(): string | null;
  reloadPath(): string;
  navigate(path: string): Promise<void>;
  expectExchange(): void;
  refresh(): Promise<Answer<InspectAnswer>>;
}
