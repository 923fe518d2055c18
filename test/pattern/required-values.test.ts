import { parsePattern, requiredExactValues } from '../../rules/pattern';

describe('requiredExactValues', () => {
  test('the exact values listed at a leaf', () => {
    const pattern = parsePattern({ source: ['aws.ec2'], detail: { eventName: ['ModifySnapshotAttribute', 'ModifyImageAttribute'] } });
    expect(requiredExactValues(pattern, ['detail', 'eventName'])).toEqual(new Set(['ModifySnapshotAttribute', 'ModifyImageAttribute']));
    expect(requiredExactValues(pattern, ['source'])).toEqual(new Set(['aws.ec2']));
  });
  test('numbers, booleans and null are kept with their types', () => {
    const pattern = parsePattern({ a: [1, true, null, '1'] });
    expect(requiredExactValues(pattern, ['a'])).toEqual(new Set([1, true, null, '1']));
  });
  test('union over $or branches when every branch constrains the path', () => {
    const pattern = parsePattern({ detail: { $or: [{ eventName: ['CreateJob'] }, { eventName: ['JobCreated'], x: ['y'] }] } });
    expect(requiredExactValues(pattern, ['detail', 'eventName'])).toEqual(new Set(['CreateJob', 'JobCreated']));
  });
  test('undefined when a branch leaves the path free', () => {
    const pattern = parsePattern({ $or: [{ eventName: ['CreateJob'] }, { source: ['aws.s3'] }] });
    expect(requiredExactValues(pattern, ['eventName'])).toBeUndefined();
  });
  test.each([
    ['no constraint', { source: ['aws.s3'] }, ['detail', 'eventName']],
    ['a prefix', { eventName: ['Get', { prefix: 'List' }] }, ['eventName']],
    ['anything-but', { eventName: [{ 'anything-but': 'x' }] }, ['eventName']],
    ['exists false (absence allowed)', { eventName: ['x', { exists: false }] }, ['eventName']],
    ['an object node, not a leaf', { detail: { eventName: ['x'] } }, ['detail']],
    ['an IP literal (other spellings match too)', { ip: ['::1'] }, ['ip']],
  ])('undefined for %s', (_what, source, path) => {
    expect(requiredExactValues(parsePattern(source), path)).toBeUndefined();
  });
  test('a value written outside and then inside $or keeps the later one (event-ruler order)', () => {
    const pattern = parsePattern({ a: ['1'], $or: [{ a: ['2'] }, { b: ['3'] }] });
    expect(requiredExactValues(pattern, ['a'])).toEqual(new Set(['2', '1']));
  });
});
