import fc from 'fast-check';
import {
  BaselineTimeError,
  binStartOf,
  binsAtHourOfWeek,
  hourOfWeek,
  partitionDays,
} from '../../rules/baseline/time';

describe('bins and hours of week', () => {
  it('puts Monday 00:00 UTC at hour 0 and Sunday 23:xx at 167', () => {
    expect(hourOfWeek(Date.parse('2024-05-27T00:05:00Z') / 1000)).toBe(0); // a Monday
    expect(hourOfWeek(Date.parse('2024-06-02T23:59:59Z') / 1000)).toBe(167); // a Sunday
    expect(hourOfWeek(Date.parse('2024-05-28T14:30:00Z') / 1000)).toBe(24 + 14);
  });

  it('rounds times down to 10-minute bins', () => {
    expect(binStartOf(new Date('2024-05-28T14:39:59Z'))).toBe(Date.parse('2024-05-28T14:30:00Z') / 1000);
  });

  it('counts the bins of an hour of week exactly (against enumeration)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2_800_000, max: 2_900_000 }),
        fc.integer({ min: 0, max: 5000 }),
        fc.integer({ min: 0, max: 167 }),
        (from, length, how) => {
          let expected = 0;
          for (let bin = from; bin < from + length; bin++) if (hourOfWeek(bin * 600) === how) expected++;
          expect(binsAtHourOfWeek(from, from + length, how)).toBe(expected);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('partitionDays', () => {
  it('lists exactly the days a window touches', () => {
    expect(partitionDays(new Date('2024-05-31T10:00:00Z'), new Date('2024-05-31T10:10:00Z'))).toEqual(['2024/05/31']);
    expect(partitionDays(new Date('2024-05-30T23:50:00Z'), new Date('2024-05-31T00:10:00Z'))).toEqual([
      '2024/05/30',
      '2024/05/31',
    ]);
    // The end is exclusive: a window ending at midnight does not read the next day.
    expect(partitionDays(new Date('2024-05-30T23:50:00Z'), new Date('2024-05-31T00:00:00Z'))).toEqual(['2024/05/30']);
  });

  it('adds the next day only when the delivery slack crosses midnight', () => {
    expect(partitionDays(new Date('2024-05-31T10:00:00Z'), new Date('2024-05-31T10:10:00Z'), 15)).toEqual(['2024/05/31']);
    expect(partitionDays(new Date('2024-05-31T23:40:00Z'), new Date('2024-05-31T23:50:00Z'), 15)).toEqual([
      '2024/05/31',
      '2024/06/01',
    ]);
  });

  it('rejects empty windows with a clear error', () => {
    const t = new Date('2024-05-31T10:00:00Z');
    expect(() => partitionDays(t, t)).toThrow(BaselineTimeError);
    expect(() => partitionDays(t, t)).toThrow(/empty window/);
  });
});
