// The cookie store signs and encrypts with a secret. A sandbox run without one takes SESSION_LAB_SECRET,
// else a generated secret kept in .data/cookie-secret, so cookies survive a restart of the CLI.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ConfigError, type SessionConfig } from '../engine/config.ts';
import { shortSecretProblem, splitSecrets } from '../engine/secret-rule.ts';

export const SECRET_ENV = 'SESSION_LAB_SECRET';
export const SECRET_FILE = '.data/cookie-secret';

export interface SecretChoice {
  config: SessionConfig;
  /** Where the secret came from, for the start-up banner; undefined when nothing was needed. */
  note: string | undefined;
}

/** Gives a cookie-store config without `secret` one; any other config is returned unchanged. */
export function withCookieSecret(
  config: SessionConfig,
  env: NodeJS.ProcessEnv = process.env,
  file = resolve(SECRET_FILE),
): SecretChoice {
  if (config.storageType !== 'cookie' || config.secrets.length > 0) return { config, note: undefined };
  const fromEnv = env[SECRET_ENV];
  if (fromEnv !== undefined && fromEnv.trim() !== '') {
    const secrets = checked(fromEnv, SECRET_ENV);
    return {
      config: { ...config, secrets },
      note: `cookie secret from ${SECRET_ENV} (${secrets.length} key(s))`,
    };
  }
  const existing = readSecretFile(file);
  if (existing) return { config: { ...config, secrets: existing }, note: `cookie secret read from ${file}` };
  // 32 random bytes = 256 bits, as HMAC-SHA256 and AES-256 keys want (OWASP Session Management: secrets).
  const generated = randomBytes(32).toString('base64url');
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  try {
    // `wx`: if another process wrote one first, everyone uses that one instead of racing.
    writeFileSync(file, `${generated}\n`, { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const raced = readSecretFile(file);
    if (raced) return { config: { ...config, secrets: raced }, note: `cookie secret read from ${file}` };
    throw error;
  }
  return {
    config: { ...config, secrets: [generated] },
    note: `cookie secret generated and kept in ${file} (mode 0600; delete it to invalidate every cookie)`,
  };
}

function readSecretFile(file: string): string[] | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  return checked(text, file);
}

function checked(text: string, source: string): string[] {
  const secrets = splitSecrets(text);
  if (secrets.length === 0) throw new ConfigError(`${source}: holds no secret`);
  const problem = shortSecretProblem(secrets);
  if (problem !== undefined) throw new ConfigError(`${source}: ${problem}`);
  return secrets;
}
