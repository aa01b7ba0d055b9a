// Runs before the npm scripts that need Node 22: if npm's `node@22` package did not install its
// binary (install scripts skipped), npm would quietly fall back to an older system Node.
const major = Number(process.versions.node.split('.')[0]);
if (major < 22) {
  console.error(
    `Session Lab needs Node.js 22.12 or newer, but npm is running ${process.version}.\n` +
      'Run `npm ci` again with install scripts enabled (the node@22 devDependency provides Node 22).',
  );
  process.exit(1);
}
