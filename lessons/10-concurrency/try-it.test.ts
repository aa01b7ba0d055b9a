// Runs chapter 10's "Try it" exactly as `npm run try:concurrency` does and checks that it prints what
// the chapter tells the learner to expect.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const SCRIPT = fileURLToPath(new URL('./try-it.ts', import.meta.url));

/** The printed result of step `n`: the lines from `n.` to the next blank line. */
function step(output: string, n: number): string {
  const start = output.indexOf(`\n${n}. `);
  assert.ok(start >= 0, `step ${n} is printed:\n${output}`);
  return output.slice(start + 1).split('\n\n')[0] as string;
}

const lost = (text: string) => Number(/the count moved by \d+: (\d+) update\(s\) lost/.exec(text)?.[1]);

it('npm run try:concurrency shows lost updates without the lock, none with it, and the queue behind a slow request', async () => {
  const { stdout, stderr } = await promisify(execFile)(
    process.execPath,
    ['--disable-warning=ExperimentalWarning', SCRIPT],
    { timeout: 30_000 },
  );
  assert.equal(stderr, '', 'nothing on stderr');

  const none = step(stdout, 1);
  assert.match(none, /^1\. 20 requests at once, locking = none\n {2}answers: 20 × 200 after /);
  assert.ok(lost(none) > 0, `updates lost without the lock:\n${none}`);

  const auto = step(stdout, 2);
  assert.match(auto, /^2\. 20 requests at once, locking = auto\n {2}answers: 20 × 200 after /);
  assert.match(auto, /the count moved by 20: 0 update\(s\) lost/);
  const [, amount, unit] = /answers: .* to ([\d.]+) (ms|s)\n/.exec(auto) ?? [];
  const slowest = Number(amount) * (unit === 's' ? 1000 : 1);
  assert.ok(slowest >= 20 * 20, `the requests took turns, 20 ms each: the last answered after ${slowest} ms`);

  const queued = step(stdout, 3);
  assert.match(queued, /locking = auto, lockTimeout = 1 s\n {2}report: 1 × 200 after 2\.\d s\n/);
  assert.match(
    queued,
    /quick requests: 5 × 503 after 1\.\d s( to 1\.\d s)?\n/,
    'each gave up after lockTimeout',
  );
  assert.match(queued, /the count moved by 1: 0 update\(s\) lost/);

  const unlocked = step(stdout, 4);
  assert.match(unlocked, /locking = none\n {2}report: 1 × 200 after 2\.\d s\n/);
  assert.match(unlocked, /quick requests: 5 × 200 after \d+ ms( to \d+ ms)?\n/, 'none waited');
  assert.match(unlocked, /the count moved by 1: 5 update\(s\) lost/, "the report's save erased all five");
});
