import assert from 'node:assert/strict';
import { test } from 'node:test';
import { excerpt, readRegions, regionLines } from './source-files.ts';

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

test('an empty region stops the build: the page would show an empty excerpt', () => {
  const empty = readRegions('x.ts', 'a;\n// #region gone\n// #endregion\nb;');
  assert.throws(() => regionLines('x.ts', empty, 'gone'), /region "gone" is empty/);
  const blank = readRegions('x.ts', 'a;\n// #region blank\n\n   \n// #endregion\nb;');
  assert.throws(() => regionLines('x.ts', blank, 'blank'), /region "blank" is empty/);
});

test('each shown line keeps its number in the file, where the marker lines count', () => {
  assert.deepEqual(readRegions('x.ts', FILE).lineNumbers, [1, 3, 5, 7, 9]);
});

test('an excerpt shows only the regions, a gap line between runs, without their shared indentation', () => {
  const text = [
    'function f() {',
    '  // #region first',
    '  const a = 1;',
    '    if (a) return;',
    '  // #endregion',
    '  skipped();',
    '  // #region second',
    '  return a;',
    '  // #endregion',
    '  // #region third',
    '  done();',
    '  // #endregion',
    '}',
  ].join('\n');
  const source = readRegions('f.ts', text);
  const shown = excerpt(source, regionLines('f.ts', source, 'first,second,third'));
  assert.equal(shown.code, 'const a = 1;\n  if (a) return;\n// …\nreturn a;\ndone();');
  assert.deepEqual(shown.lineNumbers, [3, 4, 0, 8, 11]);
  assert.equal(shown.ranges, '3–4, 8–11');
});

test("an ini file's excerpt marks its gap with its own comment sign", () => {
  const source = readRegions(
    'a.cfg',
    '# #region a\nx = 1\n# #endregion\ny = 2\n# #region b\nz = 3\n# #endregion',
  );
  assert.equal(excerpt(source, regionLines('a.cfg', source, 'a,b')).code, 'x = 1\n# …\nz = 3');
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
