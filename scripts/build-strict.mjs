// `npm test`'s build (`npm run build:strict`): `astro build` with its output passed through, failing when
// Astro, Vite or Node printed a warning. A newcomer's first `npm start` builds the site, and a warning
// there is one they cannot act on, so a new one fails the tests instead. `npm run build` itself stays
// lenient: a warning from a dependency's new release should not stop anyone from starting the site.
import { spawn } from 'node:child_process';

// Astro's logger ("12:00:00 [WARN] [vite] …") and Node's own process warnings ("(node:123) Warning: …").
const WARNING = /\[WARN\]|^\(node:\d+\) \w*Warning\b/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI colour codes start with ESC.
const ANSI = /\u001b\[[0-9;]*m/g;

const warnings = [];
let pending = '';
function scan(text) {
  const lines = (pending + text).split('\n');
  pending = lines.pop() ?? '';
  for (const line of lines) {
    const plain = line.replace(ANSI, '');
    if (WARNING.test(plain)) warnings.push(plain.trim());
  }
}

const child = spawn(process.execPath, ['node_modules/astro/bin/astro.mjs', 'build'], {
  stdio: ['ignore', 'pipe', 'pipe'],
});
for (const [from, to] of [
  [child.stdout, process.stdout],
  [child.stderr, process.stderr],
]) {
  from.setEncoding('utf8');
  from.on('data', (text) => {
    to.write(text);
    scan(text);
  });
}
child.on('close', (code, signal) => {
  scan('\n');
  if (code !== 0) {
    process.exitCode = code ?? 1;
    if (signal) console.error(`astro build ended by ${signal}`);
    return;
  }
  if (warnings.length > 0) {
    console.error(`\nThe build printed ${warnings.length} warning(s); \`npm start\` must build without any:`);
    for (const warning of warnings) console.error(`  ${warning}`);
    process.exitCode = 1;
  }
});
