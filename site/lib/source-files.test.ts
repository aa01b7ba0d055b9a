import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readRegions, regionLines } from './source-files.ts';

const FILE = [
  'const a = 1;',
  '// #region make',
  'function make() {',
  '  // #region inner',
  '  return a;',
  '  // #endregion inner',
  '}',
  '// #endregion',
  'export { make };',
].join('\n');

test('a file is shown without its region markers, and a region marks the lines it encloses', () => {
  const source = readRegions('x.ts', FILE);
  assert.equal(source.code, 'const a = 1;\nfunction make() {\n  return a;\n}\nexport { make };');
  assert.deepEqual(regionLines('x.ts', source, 'make'), [2, 3, 4]);
  assert.deepEqual(regionLines('x.ts', source, 'inner'), [3]);
  assert.deepEqual(regionLines('x.ts', source, 'inner, make'), [2, 3, 4]);
});

test('a region the file does not have stops the build, naming the regions it has', () => {
  const source = readRegions('x.ts', FILE);
  assert.throws(
    () => regionLines('x.ts', source, 'gone'),
    /no region "gone" in the file \(it has: make, inner\)/,
  );
});

test('markers that do not pair up stop the build with the line', () => {
  assert.throws(() => readRegions('x.ts', '// #region a\nx'), /region "a" is never closed/);
  assert.throws(() => readRegions('x.ts', 'x\n// #endregion'), /x\.ts:2: #endregion/);
  assert.throws(() => readRegions('x.ts', '// #region a\n// #endregion b'), /closes no open region/);
  assert.throws(() => readRegions('x.ts', '// #region\n// #endregion'), /needs a name/);
  assert.throws(
    () => readRegions('x.ts', '// #region a\n// #endregion\n// #region a\n// #endregion'),
    /named twice/,
  );
});

test('ini files mark regions with # comments', () => {
  const source = readRegions('a.cfg', '[session]\n# #region store\nstorageType = file\n# #endregion\n');
  assert.deepEqual(regionLines('a.cfg', source, 'store'), [2]);
});
