import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { backendParam, wantedBackend, withBackend } from './backend-url.ts';

describe('the chosen backend in the page URL', () => {
  const page = 'http://127.0.0.1:4321/08-your-own-storage/#try-it';

  it('keeps one parameter per demo, so demos on one page do not overwrite each other', () => {
    const one = withBackend(page, 'db-store/custom/std', 'sqlite');
    const both = withBackend(one, 'db-store/sqlite/std', 'postgres');
    assert.equal(wantedBackend(both, 'db-store/custom/std'), 'sqlite');
    assert.equal(wantedBackend(both, 'db-store/sqlite/std'), 'postgres');
    assert.equal(wantedBackend(both, 'db-store/mysql/std'), null);
    assert.equal(new URL(both).hash, '#try-it');
    assert.equal(backendParam('counter/ram/std'), 'backend.counter.ram.std');
  });

  it('drops the parameter when the demo is back on its default', () => {
    const chosen = withBackend(page, 'counter/ram/std', 'sqlite');
    assert.equal(withBackend(chosen, 'counter/ram/std', null), page);
  });

  it('reads an empty value as no choice', () => {
    assert.equal(
      wantedBackend(`${page.replace('#try-it', '')}?backend.counter.ram.std=`, 'counter/ram/std'),
      null,
    );
  });
});
