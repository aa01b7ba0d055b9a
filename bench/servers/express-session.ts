// C, D, E: express 5 + express-session, set up as its README recommends and otherwise left at the
// defaults: resave false, saveUninitialized false, a secret, the default cookie.
import express from 'express';
import session from 'express-session';
import { counterPage } from '../page.ts';
import { BENCH_SECRET, type BenchServer } from './types.ts';

/** express-session's cookie value is `s:<sid>.<signature>`, URL-encoded. */
export function sidFromCookie(header: string): string | undefined {
  const value = /(?:^|;\s*)connect\.sid=([^;]+)/.exec(header)?.[1];
  if (!value) return undefined;
  const decoded = decodeURIComponent(value);
  return decoded.startsWith('s:') ? decoded.slice(2, decoded.lastIndexOf('.')) : undefined;
}

export function expressCounter(
  store: unknown,
  close: (sids: string[]) => Promise<void> = async () => {},
): BenchServer {
  const app = express();
  app.use(session({ secret: BENCH_SECRET, resave: false, saveUninitialized: false, store }));
  app.get('/', (req, res) => {
    const count = (req.session.pageViews ?? 0) + 1;
    req.session.pageViews = count;
    res.send(counterPage(count));
  });
  // Reads the counter without changing it (resave: false, so nothing is written back).
  app.get('/_inspect', (req, res) => {
    res.json({ pageViews: req.session.pageViews ?? null });
  });
  return {
    listener: app,
    close: (cookieHeaders) =>
      close(cookieHeaders.map(sidFromCookie).filter((sid): sid is string => sid !== undefined)),
  };
}
