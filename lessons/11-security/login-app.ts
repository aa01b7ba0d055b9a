// The login demo (chapter 11, "Signing in and out"): sign in with a demo account, see the private
// page, sign out; end every session of the account; change the password after typing the current one;
// "remember me" with a rotating token. Pages are in login-pages.ts, accounts in login-accounts.ts.
//
// A session is served as signed in only while all of these hold:
// - it says who (`user`) and since when (`signedInAt`), and that time is within the absolute limit;
// - it was signed in under this browser's `lab_visitor` cookie (lab containment: a session id carried
//   to another browser shows "signed out" there);
// - on a store that keeps sessions on the server, the account's index still lists it (so "sign out
//   everywhere" holds even if a request of an ended session saves it again).
import type { App, AppContext } from '../../sandbox/engine/engine.ts';
import { maskId } from '../../sandbox/engine/ids.ts';
import type { Session } from '../../sandbox/engine/session.ts';
import {
  ACCOUNTS_TTL_MS,
  type Account,
  type Accounts,
  changeAccounts,
  defaultAccounts,
  isUserName,
  MAX_SESSIONS,
  MAX_TOKENS,
  rawAccounts,
  readAccounts,
  type UserName,
} from './login-accounts.ts';
import {
  appCookie,
  REMEMBER_COOKIE,
  readCookie,
  readVisitor,
  VISITOR_COOKIE,
  type Visitor,
} from './login-cookies.ts';
import { accountPage, type Notice, page, signedInPage, signInPage } from './login-pages.ts';
import { hashPassword, verifyPassword } from './login-passwords.ts';
import { issueToken, parseToken, rotateToken, validatorMatches } from './login-remember.ts';

export interface LoginOptions {
  /** How long a sign-in lasts however busy the session is (the absolute timeout). */
  signedInLimitMs: number;
  /** How long a remember-me token lasts. */
  rememberMs: number;
}

export const SIGNED_IN_LIMIT_MS = 8 * 3_600_000;
export const REMEMBER_MS = ACCOUNTS_TTL_MS;
const DEFAULTS: LoginOptions = { signedInLimitMs: SIGNED_IN_LIMIT_MS, rememberMs: REMEMBER_MS };

/** A hash to check a password against when the username is unknown, so both cases take as long. */
const unknownUserHash = async () => (await defaultAccounts()).alice.passwordHash;

/** Everything one request's handlers share. */
interface Exchange {
  request: Request;
  session: Session;
  context: AppContext;
  visitor: Visitor;
  options: LoginOptions;
  /** Set-Cookie lines for the app's own cookies. */
  cookies: string[];
}

interface SignedIn {
  user: UserName;
  accounts: Accounts | null;
}

export function loginApp(options: Partial<LoginOptions> = {}): App {
  const settings = { ...DEFAULTS, ...options };
  return async (request, session, context) => {
    const visitor = readVisitor(request);
    const x: Exchange = { request, session, context, visitor, options: settings, cookies: [] };
    if (visitor.issue) setCookie(x, VISITOR_COOKIE, visitor.issue, ACCOUNTS_TTL_MS / 1000);
    const response = await route(x);
    const headers = new Headers(response.headers);
    for (const line of x.cookies) headers.append('set-cookie', line);
    return new Response(response.body, { status: response.status, headers });
  };
}

async function route(x: Exchange): Promise<Response> {
  const { base } = x.context;
  const url = new URL(x.request.url);
  const path = url.pathname.slice(base.length);
  const method = x.request.method;
  const routes: Record<string, string> = {
    '': 'GET',
    account: 'GET',
    'sign-in': 'POST',
    'sign-out': 'POST',
    'sign-out-everywhere': 'POST',
    email: 'POST',
    password: 'POST',
    'remember/revoke': 'POST',
  };
  const allowed = routes[path];
  if (allowed === undefined) return page('Not found', 'No such page.', 404);
  if (method !== allowed)
    return page('Wrong method', `This address only answers ${allowed}.`, 405, { allow: allowed });

  let notice: Notice | undefined;
  let who = await signedIn(x);
  if ('ended' in who) {
    notice = who.ended;
    who = { user: null };
  }
  if (who.user === null && path !== 'sign-in' && readCookie(x.request, REMEMBER_COOKIE) !== undefined) {
    const remembered = await signInByToken(x);
    if ('theft' in remembered) notice = 'theft';
    else if (remembered.user) {
      who = remembered;
      notice = undefined;
    }
  }

  if (path === 'sign-in') return signIn(x);
  if (path === '') {
    const shown = notice ?? noticeFrom(url);
    if (who.user) return signedInPage(x.context, who.user, who.accounts, shown);
    // A visitor's first look starts a session before any sign-in (as a shop's cart would), so the
    // inspector shows the id that sign-in replaces. The page after a sign-out starts none.
    if (shown === undefined && !x.session.has('arrivedAt')) x.session.set('arrivedAt', Date.now());
    return signInPage(x.context, shown);
  }
  if (!who.user)
    return page('Signed out', 'Sign in first: this needs a signed-in session.', 401, {}, x.context.base);
  const user = who.user;
  if (path === 'account') return showAccount(x, user, noticeFrom(url));
  if (path === 'sign-out') return signOut(x, user, 'signed-out');
  if (path === 'sign-out-everywhere') return signOutEverywhere(x, user);
  if (path === 'email') return changeEmail(x, user);
  if (path === 'password') return changePassword(x, user);
  return revokeToken(x, user);
}

// #region signed-in
/** Who this session is signed in as, or why it stopped being signed in. */
async function signedIn(x: Exchange): Promise<SignedIn | { user: null } | { ended: Notice }> {
  const { session, context, visitor } = x;
  const user = session.get('user');
  if (typeof user !== 'string' || !isUserName(user)) return { user: null };
  // Another browser's session (its id carried here): not ours to show, nor to change.
  if (session.get('visitor') !== visitor.hash) return { user: null };
  const signedInAt = Number(session.get('signedInAt'));
  if (!(Date.now() < signedInAt + x.options.signedInLimitMs)) {
    await forgetSession(x, user);
    session.destroy();
    return { ended: 'absolute-timeout' };
  }
  const accounts = await readAccounts(context.records, visitor.hash);
  if (context.records.serverSide) {
    const key = context.records.sessionKey(session.id ?? '');
    if (!accounts?.[user].sessions.some((entry) => entry.key === key)) {
      session.destroy();
      return { ended: 'ended-elsewhere' };
    }
  }
  return { user, accounts };
}
// #endregion signed-in

// #region sign-in
async function signIn(x: Exchange): Promise<Response> {
  const form = await formOf(x.request);
  const username = form.get('username') ?? '';
  const password = form.get('password') ?? '';
  const accounts = (await readAccounts(x.context.records, x.visitor.hash)) ?? (await defaultAccounts());
  const account = isUserName(username) ? accounts[username] : undefined;
  const matches = await verifyPassword(password, account?.passwordHash ?? (await unknownUserHash()));
  if (!account || !matches || !isUserName(username)) {
    // Never which of the two was wrong: that would tell an attacker which usernames exist.
    return signInPage(x.context, 'wrong-password', 401);
  }
  const previous = x.session.get('user');
  if (typeof previous === 'string' && isUserName(previous)) await forgetSession(x, previous);
  // A new id for the signed-in session, the data kept: an id planted before sign-in is now worthless.
  // (Unless a fixation demo switched this defence off on purpose: config `unsafeDemoFlaws`.)
  // #region keep-id-flaw
  if (!x.context.unsafe.has('keep-id-at-sign-in')) x.session.regenerate();
  // #endregion keep-id-flaw
  markSignedIn(x, username);
  await recordSignIn(x, username, form.get('remember') === 'on');
  return seeOther(x.context.base);
}

function markSignedIn(x: Exchange, user: UserName): void {
  x.session.set('user', user);
  x.session.set('signedInAt', Date.now());
  x.session.set('visitor', x.visitor.hash);
}
// #endregion sign-in

/** Files this session in the account's index (and a remember-me token if asked), ending any it pushes out. */
async function recordSignIn(x: Exchange, user: UserName, remember: boolean): Promise<void> {
  const { records } = x.context;
  const id = x.session.id ?? '';
  const key = records.sessionKey(id);
  let cookie: string | undefined;
  const dropped: string[] = [];
  await changeAccounts(records, x.visitor.hash, (accounts) => {
    const account = accounts[user];
    const now = Date.now();
    const current = account.sessions.filter((entry) => entry.signedInAt + x.options.signedInLimitMs > now);
    dropped.push(...account.sessions.filter((entry) => !current.includes(entry)).map((entry) => entry.key));
    current.push({ key, shown: maskId(id), signedInAt: now });
    const overflow = current.splice(0, Math.max(0, current.length - MAX_SESSIONS));
    dropped.push(...overflow.map((entry) => entry.key));
    account.sessions = current;
    account.tokens = account.tokens.filter((token) => token.expiresAt > now);
    if (remember) cookie = issueToken(account, now, x.options.rememberMs, MAX_TOKENS);
  });
  await endSessions(x, dropped);
  if (cookie) setCookie(x, REMEMBER_COOKIE, cookie, x.options.rememberMs / 1000);
}

// #region remember
/** Signs in with this browser's remember-me token, rotating it; a replayed token ends the account's sessions. */
async function signInByToken(x: Exchange): Promise<SignedIn | { user: null } | { theft: UserName }> {
  const presented = parseToken(readCookie(x.request, REMEMBER_COOKIE));
  const { records } = x.context;
  const known = presented && (await readAccounts(records, x.visitor.hash));
  if (!presented || !known || !ownerOf(known, presented.selector)) {
    deleteCookie(x, REMEMBER_COOKIE);
    return { user: null };
  }
  let outcome: { user: UserName; cookie: string } | { theft: UserName } | null = null;
  const ended: string[] = [];
  const accounts = await changeAccounts(records, x.visitor.hash, (accounts) => {
    const user = ownerOf(accounts, presented.selector);
    if (!user) return;
    const account = accounts[user];
    const token = account.tokens.find((each) => each.selector === presented.selector);
    if (!token || token.expiresAt <= Date.now()) {
      account.tokens = account.tokens.filter((each) => each !== token);
      return;
    }
    if (!validatorMatches(token, presented.validator)) {
      // An old value of a token that has since been used: two copies exist. End everything.
      ended.push(...account.sessions.map((entry) => entry.key));
      account.sessions = [];
      account.tokens = [];
      outcome = { theft: user };
      return;
    }
    outcome = { user, cookie: rotateToken(token) };
  });
  await endSessions(x, ended);
  const result = outcome as { user: UserName; cookie: string } | { theft: UserName } | null;
  if (result === null || 'theft' in result) {
    deleteCookie(x, REMEMBER_COOKIE);
    return result ?? { user: null };
  }
  setCookie(x, REMEMBER_COOKIE, result.cookie, x.options.rememberMs / 1000);
  x.session.regenerate();
  markSignedIn(x, result.user);
  await recordSignIn(x, result.user, false);
  return { user: result.user, accounts };
}
// #endregion remember

function ownerOf(accounts: Accounts, selector: string): UserName | undefined {
  return (Object.keys(accounts) as UserName[]).find((user) =>
    accounts[user].tokens.some((token) => token.selector === selector),
  );
}

// #region sign-out
async function signOut(x: Exchange, user: UserName, notice: Notice): Promise<Response> {
  await forgetSession(x, user);
  const presented = parseToken(readCookie(x.request, REMEMBER_COOKIE));
  if (presented) {
    await changeAccounts(x.context.records, x.visitor.hash, (accounts) => {
      const account = accounts[user];
      account.tokens = account.tokens.filter((token) => token.selector !== presented.selector);
    });
  }
  deleteCookie(x, REMEMBER_COOKIE);
  // The record goes from the store and the cookie from the browser (the engine expires it).
  x.session.destroy();
  const response = seeOther(`${x.context.base}?notice=${notice}`);
  // Clear-Site-Data clears every cookie of the whole origin: right when the app owns its origin
  // (mounted at `/`, as `npm run sandbox -- login` is), wrong inside the site's /lab/ frames, where
  // it would sign the learner out of every other demo too.
  if (x.context.base === '/') response.headers.set('clear-site-data', '"cookies"');
  return response;
}

async function signOutEverywhere(x: Exchange, user: UserName): Promise<Response> {
  const own = x.context.records.sessionKey(x.session.id ?? '');
  const ended: string[] = [];
  await changeAccounts(x.context.records, x.visitor.hash, (accounts) => {
    const account = accounts[user];
    ended.push(...account.sessions.map((entry) => entry.key).filter((key) => key !== own));
    account.sessions = [];
    account.tokens = [];
  });
  await endSessions(x, ended);
  return signOut(x, user, x.context.records.serverSide ? 'everywhere' : 'everywhere-cookie-store');
}
// #endregion sign-out

/** Takes this session out of the account's index. */
async function forgetSession(x: Exchange, user: UserName): Promise<void> {
  const { records } = x.context;
  if (x.session.id === undefined) return;
  const key = records.sessionKey(x.session.id);
  await changeAccounts(records, x.visitor.hash, (accounts) => {
    accounts[user].sessions = accounts[user].sessions.filter((entry) => entry.key !== key);
  });
}

async function endSessions(x: Exchange, keys: string[]): Promise<void> {
  const own = x.session.id === undefined ? undefined : x.context.records.sessionKey(x.session.id);
  for (const key of new Set(keys)) if (key !== own) await x.context.records.endSession(key);
}

async function showAccount(x: Exchange, user: UserName, notice?: Notice, status = 200): Promise<Response> {
  const { records } = x.context;
  const accounts = await readAccounts(records, x.visitor.hash);
  // Sessions that expired by themselves (idle) leave the index here.
  const dead: string[] = [];
  for (const entry of accounts?.[user].sessions ?? []) {
    if ((await records.sessionLive(entry.key)) === false) dead.push(entry.key);
  }
  const now = Date.now();
  const fresh = await changeAccounts(records, x.visitor.hash, (all) => {
    all[user].sessions = all[user].sessions.filter((entry) => !dead.includes(entry.key));
    all[user].tokens = all[user].tokens.filter((token) => token.expiresAt > now);
  });
  const own = records.sessionKey(x.session.id ?? '');
  const presented = parseToken(readCookie(x.request, REMEMBER_COOKIE));
  return accountPage(x.context, user, fresh[user], {
    ownKey: own,
    ownSelector: presented?.selector,
    raw: await rawAccounts(records, x.visitor.hash),
    signedInUntil: Number(x.session.get('signedInAt')) + x.options.signedInLimitMs,
    notice,
    status,
  });
}

/** The most an email may be (RFC 5321's path limit); longer is refused, never cut. */
const MAX_EMAIL = 254;

// #region email
async function changeEmail(x: Exchange, user: UserName): Promise<Response> {
  const email = ((await formOf(x.request)).get('email') ?? '').trim();
  // Any text is kept as typed (and shown escaped); only length and control characters are refused.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
  if (email === '' || email.length > MAX_EMAIL || /[\u0000-\u001f\u007f]/.test(email)) {
    return showAccount(x, user, 'bad-email', 422);
  }
  await changeAccounts(x.context.records, x.visitor.hash, (accounts) => {
    accounts[user].email = email;
  });
  return seeOther(`${x.context.base}account?notice=email`);
}
// #endregion email

// #region password
async function changePassword(x: Exchange, user: UserName): Promise<Response> {
  const form = await formOf(x.request);
  const accounts = await readAccounts(x.context.records, x.visitor.hash);
  const account: Account | undefined = accounts?.[user];
  // Re-authentication: a session alone (stolen, or left open) must not be enough to take the account.
  if (!account || !(await verifyPassword(form.get('current') ?? '', account.passwordHash))) {
    return showAccount(x, user, 'wrong-current', 401);
  }
  const next = form.get('next') ?? '';
  if (next.length < 8 || next.length > 128) return showAccount(x, user, 'bad-next', 422);
  const passwordHash = await hashPassword(next);
  x.session.regenerate();
  const id = x.session.id ?? '';
  const key = x.context.records.sessionKey(id);
  const ended: string[] = [];
  await changeAccounts(x.context.records, x.visitor.hash, (all) => {
    const mine = all[user];
    ended.push(...mine.sessions.map((entry) => entry.key));
    mine.passwordHash = passwordHash;
    mine.sessions = [{ key, shown: maskId(id), signedInAt: Date.now() }];
    mine.tokens = [];
  });
  await endSessions(x, ended);
  deleteCookie(x, REMEMBER_COOKIE);
  return seeOther(`${x.context.base}account?notice=password`);
}
// #endregion password

async function revokeToken(x: Exchange, user: UserName): Promise<Response> {
  const selector = (await formOf(x.request)).get('token') ?? '';
  await changeAccounts(x.context.records, x.visitor.hash, (accounts) => {
    accounts[user].tokens = accounts[user].tokens.filter((token) => token.selector !== selector);
  });
  if (parseToken(readCookie(x.request, REMEMBER_COOKIE))?.selector === selector)
    deleteCookie(x, REMEMBER_COOKIE);
  return seeOther(`${x.context.base}account?notice=revoked`);
}

const NOTICES = new Set<Notice>([
  'signed-out',
  'everywhere',
  'everywhere-cookie-store',
  'email',
  'password',
  'revoked',
]);

/** The notice a redirect asked for: only known words, never text from the address. */
function noticeFrom(url: URL): Notice | undefined {
  const asked = url.searchParams.get('notice') as Notice | null;
  return asked !== null && NOTICES.has(asked) ? asked : undefined;
}

async function formOf(request: Request): Promise<URLSearchParams> {
  const type = request.headers.get('content-type') ?? '';
  if (!type.startsWith('application/x-www-form-urlencoded')) return new URLSearchParams();
  return new URLSearchParams(await request.text());
}

function setCookie(x: Exchange, name: string, value: string, maxAgeSeconds: number): void {
  x.cookies.push(appCookie(x.request, x.context.base, name, value, maxAgeSeconds));
}

function deleteCookie(x: Exchange, name: string): void {
  if (readCookie(x.request, name) === undefined) return;
  x.cookies.push(appCookie(x.request, x.context.base, name, '', 0));
}

function seeOther(location: string): Response {
  return new Response(null, { status: 303, headers: { location, 'cache-control': 'no-store' } });
}
