// maskPairs must find exactly the pairs the regular expression finds, and mask only the chosen ones.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { maskPairs, PAIR } from './mask-pairs.ts';

const chosen = (name: string) => name === 'sid' || name === 'sid_data';
const mask = (value: string) => (value === '' ? '' : `${value.slice(0, 3)}…`);
const byExpression = (text: string) =>
  text.replace(PAIR, (whole, before: string, name: string, value: string) =>
    chosen(name) ? `${before}${name}=${mask(value)}` : whole,
  );

describe('maskPairs', () => {
  it('masks session values in cookie headers, Set-Cookie lines and URLs, and nothing else', () => {
    assert.equal(maskPairs('sid=abcdef', chosen, mask), 'sid=abc…');
    assert.equal(maskPairs('theme=dark; sid=abcdef; x=1', chosen, mask), 'theme=dark; sid=abc…; x=1');
    assert.equal(maskPairs('sid=abcdef; Path=/; HttpOnly', chosen, mask), 'sid=abc…; Path=/; HttpOnly');
    assert.equal(maskPairs('/page2?sid=abcdef&x=1', chosen, mask), '/page2?sid=abc…&x=1');
    assert.equal(maskPairs('sid_data=abcdef', chosen, mask), 'sid_data=abc…');
    assert.equal(maskPairs('xsid=abcdef; sid=', chosen, mask), 'xsid=abcdef; sid=');
    assert.equal(maskPairs('/', chosen, mask), '/');
    assert.equal(maskPairs('', chosen, mask), '');
  });

  it('agrees with the regular expression on random text made of its delimiters', () => {
    const pieces = [
      'sid',
      'sid_data',
      'x',
      '=',
      ';',
      '?',
      '&',
      ' ',
      '\t',
      '\u00a0',
      '\u2003',
      '\ufeff',
      'abc',
      '; ',
      'é',
      '',
    ];
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let i = 0; i < 50_000; i++) {
      let text = '';
      for (let j = random(10); j > 0; j--) text += pieces[random(pieces.length)];
      assert.equal(maskPairs(text, chosen, mask), byExpression(text), JSON.stringify(text));
    }
  });
});
