import fc from 'fast-check';
import { ELLIPSIS, truncate } from '../../handlers/findings/text';

describe('truncate', () => {
  it('returns text that fits unchanged', () => {
    expect(truncate('short', 5)).toBe('short');
  });

  it('cuts at a word boundary and ends with an ellipsis', () => {
    expect(truncate('the snapshot was shared with everyone', 20)).toBe(`the snapshot was${ELLIPSIS}`);
  });

  it('cuts inside a word that has no boundary nearby', () => {
    expect(truncate('x'.repeat(100), 10)).toBe(`${'x'.repeat(9)}${ELLIPSIS}`);
  });

  it('never splits a surrogate pair', () => {
    const result = truncate(`${'a'.repeat(8)}😀😀😀`, 10);
    expect(result).toBe(`${'a'.repeat(8)}${ELLIPSIS}`);
    // A lone high surrogate would be re-encoded as U+FFFD on the way to JSON.
    expect(/[\uD800-\uDBFF]$/.test(result.slice(0, -1))).toBe(false);
  });

  it('never exceeds the limit, for any text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 400 }), fc.integer({ min: 1, max: 300 }), (text, max) => {
        const result = truncate(text, max);
        expect(result.length).toBeLessThanOrEqual(max);
        if (text.length <= max) expect(result).toBe(text);
        else expect(result.endsWith(ELLIPSIS)).toBe(true);
      }),
    );
  });

  it('refuses a limit below one', () => {
    expect(() => truncate('text', 0)).toThrow(/max must be at least 1, got 0/);
  });
});
