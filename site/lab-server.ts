// One place that builds the demo machinery from the environment, for both `npm start` and `npm run dev`.
import type { IncomingMessage } from 'node:http';
import { SECRET_ENV } from '../sandbox/cli/secret.ts';
import { MIN_SECRET_CHARS, shortSecretProblem, splitSecrets } from '../sandbox/engine/secret-rule.ts';
import { withLocalFallback } from '../sandbox/shared/fallback-shared-state.ts';
import { memorySharedState } from '../sandbox/shared/memory-shared-state.ts';
import { openSharedState } from '../sandbox/shared/open-shared-state.ts';
import { SHARED_ENV, type SharedState, sharedBackendOf } from '../sandbox/shared/shared-state.ts';
import { configuredHosts, refuseForeignHost } from './lib/lab/host-allow.ts';
import { DemoManager } from './lib/lab/manager.ts';
import { offeredBases } from './lib/lab/offered.ts';
import { answerOtherSite } from './lib/lab/other-site.ts';
import { fixedWindowLimit } from './lib/lab/rate-limit.ts';
import { createLabRouter, type NodeHandler, type PublicLimits, visitorScheme } from './lib/lab/router.ts';
import { setStrictTransport } from './lib/security-headers.ts';

/** What a public deployment (PUBLIC=1) allows each visitor; the demo pages state these numbers. */
export const PUBLIC_LIMITS: PublicLimits = {
  requestsPerMinute: 120,
  maxSessionBytes: 4_096,
  maxSessionsPerDemo: 2_000,
  maxSessionsPerStore: 10_000,
  maxInFlightPerVisitor: 8,
};

/** Minutes between the site's sweeps of old demo data; more often in public mode, where the cap is applied. */
const SWEEP_MINUTES = { local: 5, public: 1 };

export interface Lab {
  /** Every request goes here first (`frontDoor`); /lab/ and /lab-api/ are answered, others return false. */
  router: NodeHandler;
  manager: DemoManager;
  publicMode: boolean;
  /** The port of the CSRF demo's other site (a second listener), when this lab has one: local mode only. */
  otherSitePort: number | undefined;
  /** The variant bases a public site serves (offered.ts); undefined locally. */
  offered: ReadonlySet<string> | undefined;
  /** The site's shared state (demo events, rate-limit counters): memory, or shared by SESSION_LAB_SHARED_URL. */
  sharedState: SharedState;
  /** Stops the demo processes (flushing their buffered writes), then lets go of the shared state. */
  stop(): Promise<void>;
}

export interface LabOptions {
  /**
   * Where `npm start` opens the CSRF demo's other site (another port: another origin of the same site).
   * Ignored in public mode, whose one public origin has only the sandboxed other site.
   */
  otherSitePort?: number;
}

export function createLab(env: NodeJS.ProcessEnv = process.env, options: LabOptions = {}): Lab {
  const publicMode = env.PUBLIC === '1';
  const otherSitePort = publicMode ? undefined : options.otherSitePort;
  // A public site must not invent its own cookie secret: every restart would sign with a new one, and
  // a generated file on a server is easy to lose or leak. Locally, the sandbox generates and keeps one.
  if (publicMode) {
    const secrets = splitSecrets(env[SECRET_ENV] ?? '');
    const problem = secrets.length === 0 ? 'got none' : shortSecretProblem(secrets);
    if (problem !== undefined) {
      throw new Error(
        `PUBLIC=1 needs ${SECRET_ENV} (one or more secrets of at least ${MIN_SECRET_CHARS} characters, comma-separated, newest first; ${problem}); ` +
          "generate one with: node -e \"console.log(require('crypto').randomBytes(32).toString('base64url'))\"",
      );
    }
  }
  const limits = publicMode ? { ...PUBLIC_LIMITS, requestsPerMinute: rateLimitFrom(env) } : undefined;
  // Several site instances behind one proxy must agree on this shared state, so it lives in Redis or
  // PostgreSQL when SESSION_LAB_SHARED_URL names one (with this process's memory as the fallback while
  // that server is down); the demo workers get the URL for the inspector's exchanges.
  const sharedUrl = env[SHARED_ENV]?.trim();
  const shared = sharedBackendOf(sharedUrl) !== 'memory';
  const sharedState = shared ? withLocalFallback(openSharedState(sharedUrl)) : memorySharedState();
  // Public mode serves only the variants the pages offer; its demo host has room for every one of them.
  const offered = publicMode ? offeredBases() : undefined;
  const manager = new DemoManager({
    // Public mode: every one-worker demo shares one host process, only the two-worker demos (chapter
    // 12) have processes of their own (2 variants at most), and a demo somebody used in the last 10
    // minutes is never stopped to make room for another.
    maxRunning: publicMode ? 2 : 24,
    hostVariants: publicMode,
    ...(offered ? { protectMinutes: 10, maxHosted: offered.size } : {}),
    idleMinutes: 15,
    // A public site's visitors are strangers: its pages and inspector name no path, database URL or user.
    extraConfig: limits
      ? {
          maxSessionBytes: String(limits.maxSessionBytes),
          maxSessions: String(limits.maxSessionsPerDemo),
          showLocations: 'false',
        }
      : {},
    sweepMinutes: publicMode ? SWEEP_MINUTES.public : SWEEP_MINUTES.local,
    maxSessionsPerStore: limits?.maxSessionsPerStore,
    sharedState,
    ...(shared ? { sharedUrl } : {}),
  });
  const rateLimit = limits ? fixedWindowLimit(limits.requestsPerMinute, sharedState) : undefined;
  return {
    router: frontDoor(
      env,
      { port: otherSitePort, offered },
      createLabRouter({
        manager,
        controls: !publicMode,
        publicMode,
        limits,
        rateLimit,
        trustProxy: env.SESSION_LAB_TRUST_PROXY === '1',
        otherSitePort: otherSitePort !== undefined,
        ...(offered ? { offered } : {}),
      }),
    ),
    manager,
    publicMode,
    otherSitePort,
    offered,
    sharedState,
    async stop() {
      await manager.stopAll();
      await sharedState.close();
    },
  };
}

/**
 * What every request of the site meets first, pages included: a Host name the site does not serve is
 * refused (DNS rebinding must reach neither the demos nor their process controls), and an answer to a
 * visitor on https carries HSTS. The CSRF demo's other site (`/other-site/`) is answered here too.
 */
function frontDoor(
  env: NodeJS.ProcessEnv,
  otherSite: { port: number | undefined; offered: ReadonlySet<string> | undefined },
  router: NodeHandler,
): NodeHandler {
  const hosts = configuredHosts(env);
  const trustProxy = env.SESSION_LAB_TRUST_PROXY === '1';
  const scheme = (req: IncomingMessage) => visitorScheme(req, trustProxy);
  return (req, res) => {
    if (refuseForeignHost(req, res, hosts)) return true;
    setStrictTransport(req, res, trustProxy);
    if (answerOtherSite(req, res, { ...otherSite, scheme })) return true;
    return router(req, res);
  };
}

/**
 * `SESSION_LAB_RATE_LIMIT`: demo requests a minute per visitor address in public mode. A class behind
 * one school NAT shares one address, so a teacher may need to raise it.
 */
function rateLimitFrom(env: NodeJS.ProcessEnv): number {
  const text = env.SESSION_LAB_RATE_LIMIT?.trim();
  if (!text) return PUBLIC_LIMITS.requestsPerMinute;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1 || value > 1_000_000) {
    throw new Error(
      `SESSION_LAB_RATE_LIMIT must be a whole number of requests a minute (1 to 1000000), not ${JSON.stringify(text)}`,
    );
  }
  return value;
}

/** Stops the demo processes (flushing their buffered writes) on Ctrl-C or SIGTERM, then exits. */
export function stopOnSignals(stop: () => Promise<void>): void {
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (stopping) process.exit(1); // a second Ctrl-C: leave now
      stopping = true;
      stop().then(
        () => process.exit(0),
        (error: unknown) => {
          console.error('[session-lab] stopping failed:', error);
          process.exit(1);
        },
      );
    });
  }
}
