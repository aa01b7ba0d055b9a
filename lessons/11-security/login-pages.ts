// The login demo's pages: plain HTML, every value escaped (engine/html.ts), no script.
import type { AppContext } from '../../sandbox/engine/engine.ts';
import { html, htmlPage, type SafeHtml } from '../../sandbox/engine/html.ts';
import { type Account, type Accounts, DEMO_USERS, type UserName } from './login-accounts.ts';

export type Notice =
  | 'wrong-password'
  | 'signed-out'
  | 'everywhere'
  | 'everywhere-cookie-store'
  | 'absolute-timeout'
  | 'ended-elsewhere'
  | 'theft'
  | 'email'
  | 'bad-email'
  | 'password'
  | 'wrong-current'
  | 'bad-next'
  | 'revoked';

const NOTICE_TEXT: Record<Notice, string> = {
  'wrong-password': 'Wrong username or password.',
  'signed-out': 'You are signed out: the session was deleted from the store and its cookie expired.',
  everywhere:
    'Every session of the account has ended, in every browser, and its remember-me tokens are revoked.',
  'everywhere-cookie-store':
    'Only this browser’s session ended. With the cookie store each session lives in its own browser’s cookie: the server keeps nothing it could delete, so the account’s other sessions go on until they expire. Its remember-me tokens are revoked.',
  'absolute-timeout': 'Your sign-in reached its absolute limit, however active you were: sign in again.',
  'ended-elsewhere':
    'This session was ended from another session of the account (sign out everywhere, or a password change).',
  theft:
    'A remember-me token was used with an old validator: someone holds a copy of it. Every session and token of the account has ended.',
  email: 'Email changed.',
  'bad-email':
    'That email is empty, too long (over 254 characters) or has a control character: nothing changed.',
  password:
    'Password changed: every other session and every remember-me token of the account has ended, and this session has a new id.',
  'wrong-current': 'The current password is wrong: nothing changed.',
  'bad-next': 'The new password must be 8 to 128 characters: nothing changed.',
  revoked: 'Remember-me token revoked.',
};

const ERRORS = new Set<Notice>(['wrong-password', 'bad-email', 'wrong-current', 'bad-next', 'theft']);

function notice(which: Notice | undefined): SafeHtml {
  if (!which) return html``;
  return ERRORS.has(which)
    ? html`<p class="error" role="alert">${NOTICE_TEXT[which]}</p>`
    : html`<p role="status">${NOTICE_TEXT[which]}</p>`;
}

export function signInPage(context: AppContext, shown?: Notice, status = 200): Response {
  const { base } = context;
  const users = (Object.keys(DEMO_USERS) as UserName[]).map(
    (name) => html`<li><code>${name}</code>, password <code>${DEMO_USERS[name].password}</code></li>`,
  );
  return layout(
    'Sign in',
    html`<h1>Sign in</h1>
${notice(shown)}
<p>Demo accounts (yours alone: another browser gets its own alice and bob):</p>
<ul>${users}</ul>
<form method="post" action="${base}sign-in">
<label>Username <input name="username" autocomplete="username" required></label>
<label>Password <input name="password" type="password" autocomplete="current-password" required></label>
<label><input type="checkbox" name="remember" value="on"> Remember me</label>
<button type="submit">Sign in</button>
</form>`,
    status,
  );
}

export function signedInPage(
  context: AppContext,
  user: UserName,
  accounts: Accounts | null,
  shown?: Notice,
): Response {
  const { base } = context;
  const email = accounts?.[user].email ?? DEMO_USERS[user].email;
  return layout(
    'Signed in',
    html`<h1>Private page</h1>
${notice(shown)}
<p>Signed in as <b>${user}</b>. Email: <span id="email">${email}</span></p>
<p><a href="${base}account">Your account</a></p>
<form method="post" action="${base}sign-out"><button type="submit">Sign out</button></form>
<form method="post" action="${base}sign-out-everywhere"><button type="submit">Sign out everywhere</button></form>`,
  );
}

export interface AccountView {
  ownKey: string;
  ownSelector: string | undefined;
  raw: string | null;
  signedInUntil: number;
  notice: Notice | undefined;
  status: number;
}

export function accountPage(
  context: AppContext,
  user: UserName,
  account: Account,
  view: AccountView,
): Response {
  const { base, records } = context;
  const sessions = account.sessions.map(
    (entry) =>
      html`<tr><td><code>${entry.shown}</code>${entry.key === view.ownKey ? ' (this one)' : ''}</td><td>${time(entry.signedInAt)}</td></tr>`,
  );
  const tokens = account.tokens.map(
    (
      token,
    ) => html`<tr><td><code>${token.selector}</code>${token.selector === view.ownSelector ? ' (this browser)' : ''}</td>
<td>${time(token.expiresAt)}</td>
<td><form method="post" action="${base}remember/revoke"><input type="hidden" name="token" value="${token.selector}"><button type="submit">Revoke</button></form></td></tr>`,
  );
  const cookieStore = records.serverSide
    ? html``
    : html`<p><strong>Cookie store:</strong> each session lives in its browser’s cookie, so the server cannot end the sessions listed here: “sign out everywhere” ends only this one.</p>`;
  return layout(
    'Your account',
    html`<h1>Account of <b>${user}</b></h1>
${notice(view.notice)}
<p>Signed in until ${time(view.signedInUntil)} at the latest (the absolute limit), however active you are.</p>
<h2>Email</h2>
<form method="post" action="${base}email">
<label>Email <input name="email" value="${account.email}" maxlength="254"></label>
<button type="submit">Change email</button>
</form>
<h2>Password</h2>
<form method="post" action="${base}password">
<label>Current password <input name="current" type="password" autocomplete="current-password" required></label>
<label>New password <input name="next" type="password" autocomplete="new-password" minlength="8" required></label>
<button type="submit">Change password</button>
</form>
<h2>Signed-in sessions</h2>
${cookieStore}
<table><thead><tr><th>Session id (masked)</th><th>Signed in</th></tr></thead><tbody>${sessions}</tbody></table>
<h2>Remember-me tokens</h2>
${
  tokens.length === 0
    ? html`<p>None.</p>`
    : html`<table><thead><tr><th>Selector</th><th>Expires</th><th>Revoke</th></tr></thead><tbody>${tokens}</tbody></table>`
}
<h2>The account as stored</h2>
<p>Both accounts of this browser, as the ${context.store} store holds them: the password only as a salted scrypt hash, a remember-me token only as the hash of its validator.</p>
<pre id="stored">${view.raw ?? '(nothing stored yet)'}</pre>
<p><a href="${base}">Back to the private page</a></p>`,
    view.status,
  );
}

function time(ms: number): string {
  return `${new Date(ms).toISOString().replace('T', ' ').slice(0, 19)} UTC`;
}

export function page(
  title: string,
  text: string,
  status: number,
  headers: Record<string, string> = {},
  back?: string,
): Response {
  return layout(
    title,
    html`<h1>${title}</h1><p>${text}</p>${back ? html`<p><a href="${back}">Sign in</a></p>` : ''}`,
    status,
    headers,
  );
}

function layout(title: string, body: SafeHtml, status = 200, headers: Record<string, string> = {}): Response {
  return htmlPage(title, html`<main>${body}</main>`, {
    status,
    headers: { 'cache-control': 'no-store', ...headers },
  });
}
