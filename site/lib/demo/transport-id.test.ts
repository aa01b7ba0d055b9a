import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { idForAddress, idForm, idInFrame, withId } from './transport-id.ts';

const ID = 'A'.repeat(43);

describe('finding the id in the demo page', () => {
  it('with the url transport: the query parameter of the page address', () => {
    const view = { href: `http://x/lab/name-form/ram/url/page2?session_lab_id=${ID}`, hiddenValues: [] };
    assert.equal(idInFrame(view, 'url', 'session_lab_id'), ID);
    assert.equal(idInFrame({ ...view, href: 'http://x/lab/' }, 'url', 'session_lab_id'), null);
  });

  it('with the hidden-field transport: the first hidden field, never the URL', () => {
    const view = { href: 'http://x/?session_lab_id=fromurl', hiddenValues: [ID, 'other'] };
    assert.equal(idInFrame(view, 'hidden-field', 'session_lab_id'), ID);
    assert.equal(idInFrame({ ...view, hiddenValues: [] }, 'hidden-field', 'session_lab_id'), null);
  });

  it('with the cookie transport: none, the browser sends the cookie itself', () => {
    assert.equal(
      idInFrame({ href: `http://x/?session_lab_id=${ID}`, hiddenValues: [ID] }, 'cookie', 'session_lab_id'),
      null,
    );
  });
});

describe('sending the id along', () => {
  it('adds it to a path, replacing an old one, and leaves the path alone without an id', () => {
    assert.equal(withId('/lab/a/ram/url/_inspect', 'sid', 'x y'), '/lab/a/ram/url/_inspect?sid=x+y');
    assert.equal(withId('/p?sid=old&a=1', 'sid', 'new'), '/p?sid=new&a=1');
    assert.equal(withId('/p', 'sid', null), '/p');
  });

  it('puts the id in a page address only with the url transport', () => {
    assert.equal(idForAddress('url', ID), ID);
    assert.equal(idForAddress('hidden-field', ID), null);
    assert.equal(idForAddress('cookie', ID), null);
  });

  it('builds a form body for a POST', () => {
    assert.equal(idForm('sid', ID)?.toString(), `sid=${ID}`);
    assert.equal(idForm('sid', null), undefined);
  });
});
