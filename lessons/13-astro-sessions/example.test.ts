// Chapter 13 shows the pages of ./example/ as they are; `npm run check` type-checks them, and this test
// builds the project with the repository's astro and sends it requests, so the chapter's code is known
// to run and do what the page says.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { mkdir, mkdtemp, readdir, rm, rmdir } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'astro';
import { TestClient } from '../../sandbox/testing/client.ts';

const EXAMPLE = new URL('./example/', import.meta.url);
/** The build goes under the example's node_modules: ignored by git and tsc, and the built server still
 * finds astro's packages in the repository's node_modules above it. */
const SCRATCH = fileURLToPath(new URL('node_modules/', EXAMPLE));

let work = '';
let server: Server | undefined;
let origin = '';

/** A browser stand-in for the built site; requests go over loopback, redirects are not followed. */
/** What a browser sends with a form it posts to its own site; Astro's checkOrigin refuses a post without it. */
const sameSite = () => ({ origin, 'sec-fetch-site': 'same-origin' });
const browser = () =>
  new TestClient((request) => fetch(new Request(request, { redirect: 'manual' })), origin);

const HOME = process.cwd();

before(async () => {
  await mkdir(SCRATCH, { recursive: true });
  work = await mkdtemp(join(SCRATCH, '.test-'));
  await build({
    root: fileURLToPath(EXAMPLE),
    outDir: join(work, 'dist'),
    cacheDir: join(work, 'cache'),
    vite: { cacheDir: join(work, 'vite') },
    logLevel: 'error',
  });
  // The config's driver writes under ./.data/astro-sessions from the working directory: make that the
  // test's folder, so the server runs with the config exactly as the chapter shows it.
  process.chdir(work);
  // The standalone entry starts a server on import unless told not to; the test runs its own on loopback.
  process.env.ASTRO_NODE_AUTOSTART = 'disabled';
  const { handler } = (await import(pathToFileURL(join(work, 'dist/server/entry.mjs')).href)) as {
    handler: (req: IncomingMessage, res: ServerResponse) => void;
  };
  const listening = createServer(handler);
  await new Promise<void>((resolve) => listening.listen(0, '127.0.0.1', resolve));
  server = listening;
  origin = `http://127.0.0.1:${(listening.address() as AddressInfo).port}`;
});

after(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  process.chdir(HOME);
  if (work) await rm(work, { recursive: true, force: true });
  await rmdir(SCRATCH).catch(() => {}); // only when no other run is using it
});

describe("chapter 13's Astro example", () => {
  it('counts page views per visitor, with an HttpOnly SameSite=Lax astro-session cookie', async () => {
    const ada = browser();
    const first = await ada.get('/counter');
    assert.equal(first.response.status, 200);
    assert.match(first.text, /<h1>Hello, you have been here 1 time<\/h1>/);
    const [cookie = ''] = first.setCookie;
    assert.match(cookie, /^astro-session=[0-9a-f-]{36};/);
    assert.match(cookie, /HttpOnly/i);
    assert.match(cookie, /SameSite=Lax/i);
    assert.match(cookie, /;\s*Secure/i, 'Secure in a production build');
    assert.doesNotMatch(cookie, /Max-Age|Expires/i, 'a browser-session cookie by default');
    assert.match((await ada.get('/counter')).text, /been here 2 times/);
    assert.match((await browser().get('/counter')).text, /been here 1 time</, 'another visitor starts at 1');
  });

  it('files each session under its raw id, in the configured driver folder', async () => {
    const visitor = browser();
    await visitor.get('/counter');
    const id = visitor.jar.get('astro-session');
    assert.ok(id);
    assert.ok((await readdir(join(work, '.data/astro-sessions'))).includes(id));
  });

  it('never adopts an id the client chose: an unknown or malformed one gets a fresh session', async () => {
    for (const chosen of [randomUUID(), 'attacker-chosen']) {
      const visitor = browser();
      const page = await visitor.get('/counter', { cookie: `astro-session=${chosen}` });
      assert.match(page.text, /been here 1 time</);
      const issued = visitor.jar.get('astro-session');
      assert.ok(issued && issued !== chosen, `a new id instead of ${chosen}`);
    }
  });

  it('saves the name form, redirects (303) to /hello and greets from the session', async () => {
    const grace = browser();
    const stranger = await grace.get('/hello');
    assert.match(stranger.text, /<a href="\/name">Tell me your name<\/a>/);
    assert.equal(stranger.setCookie.length, 0, 'reading alone sends no cookie');
    const saved = await grace.post('/name', { firstName: ' Grace ', lastName: 'Hopper' }, sameSite());
    assert.equal(saved.response.status, 303);
    assert.equal(saved.response.headers.get('location'), '/hello');
    assert.equal(saved.setCookie.length, 1, 'the first set sends the cookie');
    assert.match((await grace.get('/hello')).text, /<h1>Hello Grace Hopper<\/h1>/);
    assert.match((await browser().get('/hello')).text, /Tell me your name/, 'another visitor is not greeted');
  });

  it('refuses a form another site posts (security.checkOrigin), as the chapter says', async () => {
    const victim = browser();
    const forged = await victim.post(
      '/name',
      { firstName: 'Mallory', lastName: 'X' },
      { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
    );
    assert.equal(forged.response.status, 403);
    assert.match((await victim.get('/hello')).text, /Tell me your name/, 'nothing was saved');
  });

  it('shows a hostile name escaped, not run', async () => {
    const visitor = browser();
    await visitor.post('/name', { firstName: '<script>alert(1)</script>', lastName: 'X' }, sameSite());
    const page = await visitor.get('/hello');
    assert.ok(page.text.includes('Hello &lt;script&gt;alert(1)&lt;/script&gt; X'));
    assert.ok(!page.text.includes('<script>'));
  });
});

describe('npm run try:astro, the "Try it" scaffold', () => {
  it("serves the exercise's pages in the dev server, prints the form's address, and no warning", async () => {
    const script = fileURLToPath(new URL('./try-it.ts', import.meta.url));
    // PORT=0: any free port, so the test never meets a learner's server on the default one.
    const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', script], {
      cwd: work,
      env: { ...process.env, PORT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const printed = new Promise<string>((resolve, reject) => {
      for (const stream of [child.stdout, child.stderr]) {
        stream.setEncoding('utf8');
        stream.on('data', (text: string) => {
          output += text;
          const url = /The exercise's form: (http:\/\/\S+\/name) /.exec(output)?.[1];
          if (url) resolve(url);
        });
      }
      child.once('exit', (code) => reject(new Error(`exited (${code}) before printing its URL:\n${output}`)));
    });
    try {
      const url = await printedUrl(printed);
      const form = await fetch(url);
      assert.equal(form.status, 200);
      assert.match(await form.text(), /<form method="post"[^>]*>.*name="firstName".*name="lastName"/s);
      const hello = await fetch(new URL('/hello', url));
      assert.match(await hello.text(), /Tell me your name/, 'the second page is left to the learner');
      assert.doesNotMatch(output, /\[WARN\]|Warning|error/i, 'it starts without a warning');
    } finally {
      child.kill('SIGTERM');
      if (child.exitCode === null && child.signalCode === null) await once(child, 'exit');
    }
  });
});

/** The address the command printed, or a failure after 60 s (the first start compiles the pages). */
async function printedUrl(printed: Promise<string>): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('no URL printed within 60 s')), 60_000);
  });
  try {
    return await Promise.race([printed, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
