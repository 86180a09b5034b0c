import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { findNextLink, parseLinkHeader } from '../../src/core/link-header.js';

const BASE = 'https://rest.iad-01.braze.com/events';

describe('Link header', () => {
  test('relative next, resolved against the request URL', () => {
    assert.equal(
      findNextLink('</events?cursor=c2tpcDo1MA==>; rel="next"', BASE),
      'https://rest.iad-01.braze.com/events?cursor=c2tpcDo1MA==',
    );
  });

  test('absolute next among prev, unquoted and multi-valued rels', () => {
    const header =
      '<https://rest.iad-01.braze.com/events?cursor=a>; rel="prev", ' +
      '<https://rest.iad-01.braze.com/events?cursor=b>; title="x, y"; rel="last next"';
    assert.equal(findNextLink(header, BASE), 'https://rest.iad-01.braze.com/events?cursor=b');
    assert.equal(
      findNextLink('</e?cursor=z>; REL=Next', BASE),
      'https://rest.iad-01.braze.com/e?cursor=z',
    );
  });

  test('no header, no next, or garbage gives undefined', () => {
    assert.equal(findNextLink(null, BASE), undefined);
    assert.equal(findNextLink('</events?cursor=a>; rel="prev"', BASE), undefined);
    assert.equal(findNextLink('garbage; rel=next', BASE), undefined);
    assert.equal(findNextLink('<http://[bad>; rel="next"', BASE), undefined);
  });

  test('first rel wins; params lower-cased', () => {
    const [link] = parseLinkHeader('</a>; Rel="next"; rel="prev"; Foo=bar', BASE);
    assert.deepEqual(link?.rels, ['next']);
    assert.equal(link?.params.foo, 'bar');
  });

  test('over-long headers are not parsed', () => {
    assert.equal(findNextLink(`</a>; rel="next"${' '.repeat(20_000)}`, BASE), undefined);
  });

  test('never throws on arbitrary input and finds a next link anywhere in a list', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), fc.string({ maxLength: 300 }), (noise, cursor) => {
        parseLinkHeader(noise, BASE);
        const clean = encodeURIComponent(cursor);
        const header = `</events?cursor=a>; rel="prev", </events?cursor=${clean}>; rel="next"`;
        assert.equal(findNextLink(header, BASE), new URL(`/events?cursor=${clean}`, BASE).href);
      }),
    );
  });
});
