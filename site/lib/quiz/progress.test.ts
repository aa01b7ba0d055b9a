import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  correctCount,
  createProgressStore,
  type KeyValueStorage,
  parseProgress,
  recordAnswer,
  STORAGE_KEY,
  summarize,
} from './progress.ts';

/** A localStorage stand-in; `fail` makes the chosen operations throw as a browser's can. */
function memoryStorage(fail: { get?: boolean; set?: boolean; remove?: boolean } = {}) {
  const items = new Map<string, string>();
  const storage: KeyValueStorage = {
    getItem(key) {
      if (fail.get) throw new Error('SecurityError');
      return items.get(key) ?? null;
    },
    setItem(key, value) {
      if (fail.set) throw new Error('QuotaExceededError');
      items.set(key, value);
    },
    removeItem(key) {
      if (fail.remove) throw new Error('SecurityError');
      items.delete(key);
    },
  };
  return { storage, items };
}

const QUESTIONS = ['a', 'b', 'c'];

test('recording answers counts the questions of a chapter last answered right', () => {
  let progress = recordAnswer({}, '03-session-id', 'a', false);
  assert.equal(correctCount(progress, '03-session-id', QUESTIONS), 0);
  progress = recordAnswer(progress, '03-session-id', 'a', true);
  progress = recordAnswer(progress, '03-session-id', 'b', true);
  assert.equal(correctCount(progress, '03-session-id', QUESTIONS), 2);
  // The latest answer wins: a right answer answered wrong again no longer counts.
  progress = recordAnswer(progress, '03-session-id', 'b', false);
  assert.equal(correctCount(progress, '03-session-id', QUESTIONS), 1);
  // Other chapters are counted apart.
  assert.equal(correctCount(progress, '04-where-data-lives', QUESTIONS), 0);
});

test('recordAnswer leaves the progress it was given unchanged', () => {
  const before = recordAnswer({}, 'x', 'a', true);
  recordAnswer(before, 'x', 'b', true);
  assert.deepEqual(before, { x: { a: true } });
});

test('answers to questions a chapter no longer has are not counted', () => {
  const progress = recordAnswer(recordAnswer({}, 'x', 'gone', true), 'x', 'a', true);
  assert.equal(correctCount(progress, 'x', QUESTIONS), 1);
  assert.equal(correctCount({ x: { toString: true } }, 'x', ['constructor']), 0);
});

test('summarize gives one line per chapter of the catalog, in its order', () => {
  const progress = recordAnswer(recordAnswer({}, '02-b', 'a', true), '02-b', 'b', true);
  assert.deepEqual(summarize(progress, { '01-a': ['a', 'b'], '02-b': ['a', 'b'] }), [
    { chapter: '01-a', correct: 0, total: 2 },
    { chapter: '02-b', correct: 2, total: 2 },
  ]);
});

test('stored progress that is missing, corrupt or of another shape reads as none', () => {
  assert.deepEqual(parseProgress(null), {});
  assert.deepEqual(parseProgress('{not json'), {});
  assert.deepEqual(parseProgress('[1,2]'), {});
  assert.deepEqual(parseProgress('"text"'), {});
  assert.deepEqual(parseProgress('{"x":{"a":true,"b":"yes","c":false},"y":3,"z":[true]}'), {
    x: { a: true, c: false },
  });
});

test('a store keeps progress in storage: a second store over it (the next page) sees it', () => {
  const { storage, items } = memoryStorage();
  const first = createProgressStore(() => storage);
  assert.equal(first.persistent, true);
  first.record('01-why-sessions', 'a', true);
  first.record('01-why-sessions', 'b', false);
  assert.deepEqual(JSON.parse(items.get(STORAGE_KEY) ?? ''), { '01-why-sessions': { a: true, b: false } });
  const next = createProgressStore(() => storage);
  assert.equal(correctCount(next.load(), '01-why-sessions', QUESTIONS), 1);
  // Only the progress key is left behind: the write probe cleans up after itself.
  assert.deepEqual([...items.keys()], [STORAGE_KEY]);
});

test('reset clears the stored progress, for this page and the next', () => {
  const { storage, items } = memoryStorage();
  const store = createProgressStore(() => storage);
  store.record('01-why-sessions', 'a', true);
  store.reset();
  assert.deepEqual(store.load(), {});
  assert.equal(items.has(STORAGE_KEY), false);
  assert.deepEqual(createProgressStore(() => storage).load(), {});
});

test('a store reads what another tab wrote since', () => {
  const { storage } = memoryStorage();
  const here = createProgressStore(() => storage);
  createProgressStore(() => storage).record('x', 'a', true);
  assert.equal(correctCount(here.load(), 'x', QUESTIONS), 1);
});

for (const [name, storage] of [
  [
    'localStorage itself throws (storage blocked)',
    () => {
      throw new Error('SecurityError');
    },
  ],
  ['there is no localStorage', () => null],
  ['writing throws (quota of 0)', () => memoryStorage({ set: true }).storage],
  ['reading throws', () => memoryStorage({ get: true }).storage],
] as const) {
  test(`when ${name}, the store works in memory and says it is not persistent`, () => {
    const store = createProgressStore(storage);
    assert.equal(store.persistent, false);
    store.record('x', 'a', true);
    store.record('x', 'b', true);
    assert.equal(correctCount(store.load(), 'x', QUESTIONS), 2);
    store.reset();
    assert.deepEqual(store.load(), {});
  });
}

test('a store whose storage starts failing later keeps the progress it had, in memory', () => {
  const fail: { set?: boolean } = {};
  const { storage, items } = memoryStorage(fail);
  const store = createProgressStore(() => storage);
  store.record('x', 'a', true);
  fail.set = true;
  store.record('x', 'b', true);
  assert.equal(store.persistent, false);
  assert.equal(correctCount(store.load(), 'x', QUESTIONS), 2);
  assert.deepEqual(JSON.parse(items.get(STORAGE_KEY) ?? ''), { x: { a: true } });
});
