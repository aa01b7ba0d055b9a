// Runs before the npm scripts that need Node 22: if npm's `node@22` package did not install its
// binary (install scripts skipped), npm would quietly fall back to an older system Node.
// The floor is the one in package.json "engines": Astro 7.4 needs 22.22; 22.18 and later run the .ts
// files without a flag (type stripping on by default) and have `node:sqlite` without a flag (since 22.13).
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 22)) {
  console.error(
    `Session Lab needs Node.js 22.22 or newer, but npm is running ${process.version}.\n` +
      'Run `npm ci` again with install scripts enabled (the node@22 devDependency provides Node 22).',
  );
  process.exit(1);
}
