import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type DemoProps, resolveDemo } from './props.ts';

describe('<Demo> props', () => {
  it('default to the app registry: counter on RAM at its std path', () => {
    const demo = resolveDemo({ app: 'counter' });
    assert.equal(demo.base, '/lab/counter/ram/std/');
    assert.equal(demo.key, 'counter/ram/std');
    assert.equal(demo.title, 'Page-view counter');
    assert.equal(demo.idName, 'session_lab_id');
    assert.deepEqual(
      demo.backends.map((b) => b.store),
      ['ram', 'file', 'cookie', 'sqlite', 'postgres', 'mysql', 'redis'],
    );
  });

  it('give every backend its own path with the same settings', () => {
    const demo = resolveDemo({
      app: 'counter',
      store: 'file',
      writePolicy: 'always',
      timeout: 0.5,
      workers: 2,
    });
    assert.equal(demo.base, '/lab/counter/file/always.t30s.w2/');
    assert.equal(demo.backends.find((b) => b.store === 'redis')?.base, '/lab/counter/redis/always.t30s.w2/');
  });

  it('offer db-store its own functions and the SQL databases only', () => {
    const demo = resolveDemo({ app: 'db-store' });
    assert.equal(demo.base, '/lab/db-store/custom/std/');
    assert.deepEqual(
      demo.backends.map((b) => b.store),
      ['custom', 'sqlite', 'postgres', 'mysql'],
    );
  });

  it('disable the cookie backend when the id rides in the URL', () => {
    const demo = resolveDemo({ app: 'name-form', transport: 'url' });
    const cookie = demo.backends.find((b) => b.store === 'cookie');
    assert.equal(cookie?.base, null);
    assert.match(cookie?.reason ?? '', /transport="cookie"/);
  });

  const refused: [DemoProps, RegExp][] = [
    [
      { app: 'nope' as 'counter' },
      /<Demo app=\{"nope"\}>: expected one of "name-form", "forgetful", "counter", "db-store"/,
    ],
    [{ app: 'counter', store: 'custom' }, /<Demo store=\{"custom"\}>: expected one of "ram", "file"/],
    [{ app: 'db-store', store: 'redis' }, /expected one of "custom", "sqlite", "postgres", "mysql"/],
    [{ app: 'counter', timeout: 5 }, /<Demo timeout=\{5\}>: expected one of 0.25, 0.5, 1, 2/],
    [{ app: 'counter', workers: 3 as 2 }, /<Demo workers=\{3\}>/],
    [
      { app: 'counter', locking: 'process' as 'auto' },
      /<Demo locking=\{"process"\}>: expected one of "auto", "none"/,
    ],
    [
      { app: 'counter', controls: ['reboot' as 'kill'] },
      /<Demo controls=\{"reboot"\}>: expected one of "restart", "kill"/,
    ],
    [{ app: 'counter', burst: 1 }, /<Demo burst=\{1\}>: expected a whole number from 2 to 50/],
    [{ app: 'counter', burst: 2.5 }, /<Demo burst=\{2.5\}>/],
    [{ app: 'counter', burst: 500 }, /<Demo burst=\{500\}>/],
    [
      { app: 'counter', tamper: 'yes' as unknown as boolean },
      /<Demo tamper=\{"yes"\}>: expected true or false/,
    ],
    [
      { app: 'name-form', store: 'cookie', transport: 'url' },
      /store="cookie" transport="url"\}?>?: this combination has no demo/,
    ],
  ];
  for (const [props, message] of refused) {
    it(`refuse ${JSON.stringify(props)}, naming what came and what is expected`, () => {
      assert.throws(() => resolveDemo(props), message);
    });
  }

  it('refuse flaws on an app that has none, unknown flaws and repeats', () => {
    assert.throws(() => resolveDemo({ app: 'counter', unsafe: ['adopt-client-ids'] }), /only login demos/);
    assert.throws(
      () => resolveDemo({ app: 'counter', unsafe: ['no-https' as never] }),
      /<Demo unsafe=\{"no-https"\}>: expected one of/,
    );
    assert.deepEqual(resolveDemo({ app: 'counter', unsafe: [] }).variant.flaws, []);
  });
});
