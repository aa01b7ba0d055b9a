// The one rule for a cookie secret, wherever one comes in: the config's `secret` (config.ts), the cookie
// store (stores/cookie.ts), SESSION_LAB_SECRET and .data/cookie-secret (cli/secret.ts), and a public
// site's start (site/lab-server.ts).

/** The shortest cookie secret accepted, in characters (a generated one is 43: 32 random bytes, base64url). */
export const MIN_SECRET_CHARS = 32;

/** A list of secrets as written (config, env var, file): comma- or line-separated, newest first. */
export function splitSecrets(text: string): string[] {
  return text
    .split(/[\n,]/)
    .map((secret) => secret.trim())
    .filter(Boolean);
}

/**
 * What is wrong with these secrets, or undefined when each is long enough. Whether none at all is
 * allowed is the caller's call. The message never quotes a secret: config errors are printed and logged.
 */
export function shortSecretProblem(secrets: readonly string[]): string | undefined {
  const short = secrets.find((secret) => secret.length < MIN_SECRET_CHARS);
  if (short === undefined) return undefined;
  return `got a secret of ${short.length} characters, expected each to have at least ${MIN_SECRET_CHARS} characters`;
}
