// Cisco type 7 (src/config/type7.ts) against the published strings (ios-xr-cli.md §7) and an independent
// decoder written from the algorithm (test/support/type7-ref.ts): known answers, the round trip for any
// printable secret, and every malformed form rejected with the offset of its first bad character.
import fc from 'fast-check';
import { Type7Error, type7Decode, type7Encode, type7Invalid } from '../../src/config/type7.js';
import { decodeType7 } from '../support/type7-ref.js';
import { equal, ok, throws } from '../support/assert.js';

/** [encoded, plaintext] as published: each decodes to the text and re-encodes with its own seed. */
const KNOWN: [string, string][] = [
  ['0822455D0A16', 'cisco'],
  ['060506324F41584B56', 'cisco123'],
  ['104D000A061843595F', 'cisco123'],
];

/** Malformed strings and the offset of their first bad character. */
const MALFORMED: [string, number][] = [
  ['', 0], ['0', 1], ['08', 2], ['A822455D0A16', 0], ['0A22455D0A16', 1], ['5322455D0A16', 0],
  ['0822455D0A1', 11], ['08ZZ455D0A16', 2], ['0822455D0A1G', 11], ['08 22455D0A16', 2],
];

export function cliType7Suite(): void {
  describe('Cisco type 7', () => {
    for (const [enc, plain] of KNOWN) {
      it(`${enc} is "${plain}", both ways`, () => {
        equal(type7Decode(enc), plain, 'decode');
        equal(type7Encode(plain, Number(enc.slice(0, 2))), enc, 'encode with the same seed');
        equal(type7Invalid(enc), -1, 'well formed');
      });
    }

    it('decodes lower-case hex too', () => equal(type7Decode('0822455d0a16'), 'cisco', 'lower case'));

    it('any printable secret round-trips, and the independent decoder agrees', () => {
      fc.assert(fc.property(
        fc.string({ unit: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)), minLength: 1, maxLength: 127 }),
        fc.option(fc.integer({ min: 0, max: 52 }), { nil: undefined }),
        (plain, seed) => {
          const enc = type7Encode(plain, seed);
          ok(/^\d{2}([0-9A-F]{2})+$/.test(enc), `format: ${enc}`);
          equal(enc.length, 2 + 2 * plain.length, 'length');
          equal(type7Decode(enc), plain, 'round trip');
          equal(decodeType7(enc), plain, 'reference decoder');
          equal(type7Invalid(enc), -1, 'well formed');
          if (seed === undefined) ok(Number(enc.slice(0, 2)) <= 15, 'default seeds are 00–15, as IOS uses');
        }), { numRuns: 2000 });
    });

    it('the same secret always shows the same way (stable running configuration)', () => {
      equal(type7Encode('cisco123'), type7Encode('cisco123'), 'deterministic');
    });

    for (const [enc, at] of MALFORMED) {
      it(`rejects ${JSON.stringify(enc)} at offset ${at}`, () => {
        equal(type7Invalid(enc), at, 'offset');
        throws(() => type7Decode(enc), 'decode throws');
        let err: unknown;
        try { type7Decode(enc); } catch (e) { err = e; }
        ok(err instanceof Type7Error, 'a Type7Error');
      });
    }

    it('rejects strings that decode to control characters, and seeds outside the key table', () => {
      const withControl = type7Encode('ab\u0001', 8);
      equal(type7Invalid(withControl), 6, 'the third byte');
      throws(() => type7Encode('x', 53), 'seed 53');
      throws(() => type7Encode('x', -1), 'seed -1');
    });
  });
}
