/** Patterns EventBridge refuses (per the user guide and event-ruler's JsonRuleCompiler), with where they fail. */
import { parsePattern, PatternError, PATTERN_SIZE_LIMIT } from '../../rules/pattern';

function errorOf(input: unknown): PatternError {
  try {
    parsePattern(input);
  } catch (e) {
    if (e instanceof PatternError) return e;
    throw e;
  }
  throw new Error(`expected a PatternError for ${JSON.stringify(input)}`);
}

describe('parsePattern: structure', () => {
  test.each([
    ['JSON text that does not parse', '{"source": [', /not valid JSON/, ''],
    ['not an object', '["aws.ec2"]', /must be a JSON object/, ''],
    ['null', null, /must be a JSON object/, ''],
    ['an empty pattern', {}, /empty objects/, '(root)'],
    ['an empty nested object', { detail: {} }, /empty objects/, 'detail'],
    ['a leaf that is not an array', { source: 'aws.ec2' }, /must be an object or an array/, 'source'],
    ['an empty value list', { detail: { eventName: [] } }, /empty arrays/, 'detail.eventName'],
    ['a nested array value', { a: [['x']] }, /not an array/, 'a[0]'],
  ])('rejects %s', (_what, input, message, path) => {
    const error = errorOf(input);
    expect(error.message).toMatch(message);
    expect(error.path).toBe(path);
  });

  test('accepts JSON text and objects alike and keeps compact JSON', () => {
    const fromText = parsePattern('{ "source": [ "aws.s3" ], "detail": { "eventName": [ "CreateJob" ] } }');
    const fromObject = parsePattern({ source: ['aws.s3'], detail: { eventName: ['CreateJob'] } });
    expect(fromText.json).toBe('{"source":["aws.s3"],"detail":{"eventName":["CreateJob"]}}');
    expect(fromObject.json).toBe(fromText.json);
    expect(fromText.source).toEqual(fromObject.source);
  });

  test(`patterns over ${PATTERN_SIZE_LIMIT} characters of JSON are refused, at the limit accepted`, () => {
    const overhead = '{"a":[""]}'.length;
    expect(parsePattern({ a: ['x'.repeat(PATTERN_SIZE_LIMIT - overhead)] }).json).toHaveLength(PATTERN_SIZE_LIMIT);
    expect(errorOf({ a: ['x'.repeat(PATTERN_SIZE_LIMIT - overhead + 1)] }).message).toMatch(/2049 characters, over the 2048/);
  });
});

describe('parsePattern: operators', () => {
  test.each([
    ['an unknown operator', { a: [{ contains: 'x' }] }, /unknown operator "contains"/, 'a[0].contains'],
    ['an operator object with extra keys', { a: [{ prefix: 'x', suffix: 'y' }] }, /exactly one key/, 'a[0]'],
    ['an empty operator object', { a: [{}] }, /needs one operator/, 'a[0]'],
    ['prefix with a number', { a: [{ prefix: 5 }] }, /prefix must be a string/, 'a[0].prefix'],
    ['prefix with an unknown nested operator', { a: [{ prefix: { wildcard: 'x' } }] }, /equals-ignore-case/, 'a[0].prefix'],
    ['equals-ignore-case with a number', { a: [{ 'equals-ignore-case': 1 }] }, /must be a string/, 'a[0].equals-ignore-case'],
    ['exists with a string', { a: [{ exists: 'true' }] }, /true or false/, 'a[0].exists'],
  ])('rejects %s', (_what, input, message, path) => {
    const error = errorOf(input);
    expect(error.message).toMatch(message);
    expect(error.path).toBe(path);
  });

  test.each([
    ['a non-array operand', { size: [{ numeric: '>5' }] }, /takes an array/, 'size[0].numeric'],
    ['a wrong order (upper bound first)', { size: [{ numeric: ['<', 5, '>', 0] }] }, /lower bound/, 'size[0].numeric'],
    ['a missing bound', { size: [{ numeric: ['>', 0, '<='] }] }, /2 or 4 elements/, 'size[0].numeric'],
    ['a string bound', { size: [{ numeric: ['>', '0'] }] }, /expected a number/, 'size[0].numeric[1]'],
    ['bottom not below top', { size: [{ numeric: ['>', 5, '<', 5] }] }, /less than top/, 'size[0].numeric'],
    ['an unknown operator', { size: [{ numeric: ['!=', 5] }] }, /unknown numeric operator/, 'size[0].numeric[0]'],
    ['"=" with a range', { size: [{ numeric: ['=', 5, '<', 6] }] }, /exactly one value/, 'size[0].numeric'],
    ['a value beyond 5e9', { size: [{ numeric: ['>', 5000000001] }] }, /between -5.0e9 and \+5.0e9/, 'size[0].numeric[1]'],
    ['more than six decimals', { size: [{ numeric: ['>', 0.0000001] }] }, /at most 6 decimals/, 'size[0].numeric[1]'],
  ])('numeric: rejects %s', (_what, input, message, path) => {
    const error = errorOf(input);
    expect(error.message).toMatch(message);
    expect(error.path).toBe(path);
  });

  test.each([
    ['a mixed-type list', { s: [{ 'anything-but': ['a', 1] }] }, /mixes strings and numbers/, 's[0].anything-but'],
    ['null in a list', { s: [{ 'anything-but': ['a', null] }] }, /only strings or only numbers/, 's[0].anything-but[1]'],
    ['an empty list', { s: [{ 'anything-but': [] }] }, /must not be empty/, 's[0].anything-but'],
    ['a boolean', { s: [{ 'anything-but': true }] }, /takes a string, a number/, 's[0].anything-but'],
    ['an unsupported nested operator', { s: [{ 'anything-but': { numeric: ['>', 1] } }] }, /not "numeric"/, 's[0].anything-but.numeric'],
    ['an empty prefix', { s: [{ 'anything-but': { prefix: '' } }] }, /must not be empty/, 's[0].anything-but.prefix'],
    ['a number beyond the numeric range', { s: [{ 'anything-but': 123456789012 }] }, /cannot be compared/, 's[0].anything-but'],
    ['a bad wildcard', { s: [{ 'anything-but': { wildcard: ['ok*', 'a**'] } }] }, /consecutive/, 's[0].anything-but.wildcard[1]'],
  ])('anything-but: rejects %s', (_what, input, message, path) => {
    const error = errorOf(input);
    expect(error.message).toMatch(message);
    expect(error.path).toBe(path);
  });

  test.each([
    ['consecutive stars', 'a**b', /consecutive wildcard characters at position 1/],
    ['an escape of another character', 'a\\b', /invalid escape/],
    ['a trailing backslash', 'ab\\', /invalid escape/],
  ])('wildcard: rejects %s', (_what, wildcard, message) => {
    const error = errorOf({ k: [{ wildcard }] });
    expect(error.message).toMatch(message);
    expect(error.path).toBe('k[0].wildcard');
  });

  test.each([
    ['no slash', '10.0.0.0', /one "\/"/],
    ['a non-integer mask', '10.0.0.0/x', /mask bits/],
    ['a bad address', '10.0.0.256/8', /invalid IP address/],
    ['a hostname', 'example.com/8', /invalid IP address/],
    ['IPv4 /32 (event-ruler needs < 32)', '10.0.0.1/32', /IPv4 mask bits must be < 32/],
    ['IPv6 /128', '::1/128', /IPv6 mask bits must be < 128/],
  ])('cidr: rejects %s', (_what, cidr, message) => {
    const error = errorOf({ ip: [{ cidr }] });
    expect(error.message).toMatch(message);
    expect(error.path).toBe('ip[0].cidr');
  });

  test('accepts every documented operator form', () => {
    expect(() =>
      parsePattern({
        a: [{ prefix: 'x' }, { suffix: 'y' }, { 'equals-ignore-case': 'z' }, { wildcard: 'a*b\\*' }],
        b: [{ prefix: { 'equals-ignore-case': 'x' } }, { suffix: { 'equals-ignore-case': 'y' } }],
        c: [{ 'anything-but': 'x' }, { 'anything-but': 1 }, { 'anything-but': ['x', 'y'] }, { 'anything-but': [1, 2.5] }],
        d: [{ 'anything-but': { prefix: 'p' } }, { 'anything-but': { suffix: ['s', 't'] } }],
        e: [{ 'anything-but': { 'equals-ignore-case': ['x'] } }, { 'anything-but': { wildcard: '*/lib/*' } }],
        f: [{ numeric: ['=', 3.018e2] }, { numeric: ['>=', -5e9, '<', 5e9] }, { numeric: ['<=', 0.000001] }],
        g: [{ cidr: '10.0.0.0/24' }, { cidr: '2001:db8::/32' }, { exists: true }, null, true, 1, ''],
      }),
    ).not.toThrow();
  });
});

describe('parsePattern: $or', () => {
  test.each([
    ['not an array', { $or: { a: ['x'] } }, /takes an array/, '$or'],
    ['a single branch', { $or: [{ a: ['x'] }] }, /at least 2 objects, got 1/, '$or'],
    ['a branch that is not an object', { $or: [{ a: ['x'] }, ['b']] }, /must be an object/, '$or[1]'],
    ['an empty branch', { $or: [{ a: ['x'] }, {}] }, /empty objects/, '$or[1]'],
    ['an operator name as a field inside $or', { $or: [{ prefix: ['x'] }, { a: ['y'] }] }, /operator name/, '$or[0].prefix'],
    ['a bad leaf inside a nested branch', { detail: { $or: [{ a: ['x'] }, { b: [{ numeric: ['>'] }] }] } }, /2 or 4 elements/, 'detail.$or[1].b[0].numeric'],
  ])('rejects %s', (_what, input, message, path) => {
    const error = errorOf(input);
    expect(error.message).toMatch(message);
    expect(error.path).toBe(path);
  });

  test('refuses $or combinations beyond 1000', () => {
    const branches = Array.from({ length: 11 }, (_, i) => ({ [`k${i}`]: ['v'] }));
    expect(errorOf({ $or: branches, x: { $or: branches }, y: { $or: branches } }).message).toMatch(/more than 1000/);
  });
});
