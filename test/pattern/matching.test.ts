/**
 * Matching, case by case from the Amazon EventBridge user guide ("Creating event patterns", "Content filtering
 * in event patterns", "Comparison operators", "Arrays in event patterns") and the aws/event-ruler README.
 */
import { matchesPattern } from '../../rules/pattern';

const ec2Event = {
  version: '0',
  id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '111122223333',
  time: '2017-12-22T18:43:48Z',
  region: 'us-west-1',
  resources: ['arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0'],
  detail: { 'instance-id': 'i-1234567890abcdef0', state: 'terminated' },
};

const rulerEvent = {
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  time: '2017-10-02T16:24:49Z',
  detail: { 'c-count': 5, 'd-count': 3, 'x-limit': 301.8, 'source-ip': '10.0.0.33', state: 'running' },
};

describe('Creating event patterns: matching values', () => {
  test('the ec2 terminated example matches; other states and sources do not', () => {
    const pattern = { source: ['aws.ec2'], 'detail-type': ['EC2 Instance State-change Notification'], detail: { state: ['terminated'] } };
    expect(matchesPattern(pattern, ec2Event)).toBe(true);
    expect(matchesPattern(pattern, { ...ec2Event, detail: { state: 'running' } })).toBe(false);
    expect(matchesPattern(pattern, { ...ec2Event, source: 'aws.fargate' })).toBe(false);
  });
  test('values in a list are alternatives (OR), fields are all required (AND)', () => {
    expect(matchesPattern({ source: ['aws.ec2', 'aws.fargate'] }, { ...ec2Event, source: 'aws.fargate' })).toBe(true);
    expect(matchesPattern({ source: ['aws.ec2'], region: ['eu-west-1'] }, ec2Event)).toBe(false);
  });
  test('matching is exact and case-sensitive, without normalization', () => {
    expect(matchesPattern({ source: ['AWS.EC2'] }, ec2Event)).toBe(false);
    expect(matchesPattern({ source: ['aws.ec2 '] }, ec2Event)).toBe(false);
  });
  test('a field named in the pattern but absent from the event never matches', () => {
    expect(matchesPattern({ detail: { missing: ['x'] } }, ec2Event)).toBe(false);
    expect(matchesPattern({ nothere: { deeper: ['x'] } }, ec2Event)).toBe(false);
  });
  test('nesting must match: a value at another depth does not count', () => {
    expect(matchesPattern({ state: ['terminated'] }, ec2Event)).toBe(false);
  });
});

describe('Content filtering: null values and empty strings', () => {
  const event = { detail: { responseElements: null, name: '' } };
  test('null matches null, not an absent field', () => {
    expect(matchesPattern({ detail: { responseElements: [null] } }, event)).toBe(true);
    expect(matchesPattern({ detail: { other: [null] } }, event)).toBe(false);
  });
  test('the empty string matches only the empty string', () => {
    expect(matchesPattern({ detail: { name: [''] } }, event)).toBe(true);
    expect(matchesPattern({ detail: { responseElements: [''] } }, event)).toBe(false);
  });
  test('booleans match booleans only', () => {
    expect(matchesPattern({ readOnly: [false] }, { readOnly: false })).toBe(true);
    expect(matchesPattern({ readOnly: [false] }, { readOnly: 'false' })).toBe(false);
    expect(matchesPattern({ readOnly: ['true'] }, { readOnly: true })).toBe(false);
  });
});

describe('Content filtering: numbers as values', () => {
  test('300 matches 300.0 and 3.0e2 (compared numerically)', () => {
    expect(matchesPattern({ size: [300] }, JSON.parse('{"size": 300.0}'))).toBe(true);
    expect(matchesPattern({ size: [300] }, JSON.parse('{"size": 3.0e2}'))).toBe(true);
    expect(matchesPattern({ size: [300] }, { size: 301 })).toBe(false);
  });
  test('types never mix: the string "300" is not the number 300', () => {
    expect(matchesPattern({ size: [300] }, { size: '300' })).toBe(false);
    expect(matchesPattern({ size: ['300'] }, { size: 300 })).toBe(false);
  });
  test('numbers beyond the numeric range (account ids) still match themselves', () => {
    expect(matchesPattern({ account: [123456789012] }, { account: 123456789012 })).toBe(true);
    expect(matchesPattern({ account: [123456789012] }, { account: '123456789012' })).toBe(false);
  });
});

describe('Arrays in event patterns', () => {
  test('an event array matches when any element matches (resources example)', () => {
    const pattern = { resources: ['arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0', 'arn:other'] };
    expect(matchesPattern(pattern, ec2Event)).toBe(true);
    expect(matchesPattern({ resources: ['arn:other'] }, ec2Event)).toBe(false);
  });
  test('an empty event array matches no value', () => {
    expect(matchesPattern({ resources: ['x'] }, { resources: [] })).toBe(false);
  });
  test('objects inside event arrays are searched (event-ruler "employees" example)', () => {
    const event = {
      employees: [
        [
          { firstName: 'John', lastName: 'Doe' },
          { firstName: 'Anna', lastName: 'Smith' },
        ],
        [{ firstName: 'Peter', lastName: 'Jones' }],
      ],
    };
    expect(matchesPattern({ employees: { firstName: ['Anna'] } }, event)).toBe(true);
    expect(matchesPattern({ employees: { firstName: ['Anna'], lastName: ['Smith'] } }, event)).toBe(true);
    // Array consistency (rulesForJSONEvent): fields from different elements do not combine.
    expect(matchesPattern({ employees: { firstName: ['Anna'], lastName: ['Jones'] } }, event)).toBe(false);
  });
  test('array consistency holds through nested objects', () => {
    const event = { items: [{ id: 'a', tag: { key: 'k1' } }, { id: 'b', tag: { key: 'k2' } }] };
    expect(matchesPattern({ items: { id: ['a'], tag: { key: ['k1'] } } }, event)).toBe(true);
    expect(matchesPattern({ items: { id: ['a'], tag: { key: ['k2'] } } }, event)).toBe(false);
  });
  test('CloudTrail share items: userId of any added item', () => {
    const event = { detail: { requestParameters: { createVolumePermission: { add: { items: [{ userId: '111' }, { group: 'all' }] } } } } };
    expect(matchesPattern({ detail: { requestParameters: { createVolumePermission: { add: { items: { group: ['all'] } } } } } }, event)).toBe(true);
    expect(matchesPattern({ detail: { requestParameters: { createVolumePermission: { remove: { items: { group: ['all'] } } } } } }, event)).toBe(false);
  });
});

describe('Comparison operators: prefix and suffix', () => {
  test('prefix on "time" (content filtering example)', () => {
    expect(matchesPattern({ time: [{ prefix: '2017-10-02' }] }, rulerEvent)).toBe(true);
    expect(matchesPattern({ time: [{ prefix: '2017-10-03' }] }, rulerEvent)).toBe(false);
  });
  test('suffix ".png"', () => {
    expect(matchesPattern({ FileName: [{ suffix: '.png' }] }, { FileName: 'a/b.png' })).toBe(true);
    expect(matchesPattern({ FileName: [{ suffix: '.png' }] }, { FileName: 'a/b.PNG' })).toBe(false);
  });
  test('prefix and suffix only work on strings', () => {
    expect(matchesPattern({ n: [{ prefix: '1' }] }, { n: 12 })).toBe(false);
    expect(matchesPattern({ n: [{ suffix: 'e' }] }, { n: true })).toBe(false);
  });
  test('an empty prefix matches any string but nothing else', () => {
    expect(matchesPattern({ n: [{ prefix: '' }] }, { n: 'x' })).toBe(true);
    expect(matchesPattern({ n: [{ prefix: '' }] }, { n: null })).toBe(false);
  });
  test('prefix/suffix with equals-ignore-case (begins with / ends with, ignore case)', () => {
    expect(matchesPattern({ service: [{ prefix: { 'equals-ignore-case': 'eventb' } }] }, { service: 'EventBridge' })).toBe(true);
    expect(matchesPattern({ service: [{ prefix: { 'equals-ignore-case': 'eventb' } }] }, { service: 'xEventBridge' })).toBe(false);
    expect(matchesPattern({ service: [{ suffix: { 'equals-ignore-case': 'tbridge' } }] }, { service: 'EVENTBRIDGE' })).toBe(true);
    expect(matchesPattern({ service: [{ suffix: { 'equals-ignore-case': 'tbridge' } }] }, { service: 'EventBridges' })).toBe(false);
  });
});

describe('Comparison operators: equals-ignore-case', () => {
  test('Name is "Alice" in any casing', () => {
    expect(matchesPattern({ Name: [{ 'equals-ignore-case': 'alice' }] }, { Name: 'ALICE' })).toBe(true);
    expect(matchesPattern({ Name: [{ 'equals-ignore-case': 'alice' }] }, { Name: 'Alicia' })).toBe(false);
  });
});

describe('Comparison operators: wildcard', () => {
  test('"dir/*.png" matches any png in dir', () => {
    expect(matchesPattern({ EventBusArn: [{ wildcard: 'dir/*.png' }] }, { EventBusArn: 'dir/a/b.png' })).toBe(true);
    expect(matchesPattern({ EventBusArn: [{ wildcard: 'dir/*.png' }] }, { EventBusArn: 'other/a.png' })).toBe(false);
  });
  test('a star matches zero characters; several stars in one value', () => {
    expect(matchesPattern({ k: [{ wildcard: 'a*b' }] }, { k: 'ab' })).toBe(true);
    expect(matchesPattern({ k: [{ wildcard: '*Title*' }] }, { k: 'My Title here' })).toBe(true);
    expect(matchesPattern({ k: [{ wildcard: 'a*b*c' }] }, { k: 'acb' })).toBe(false);
    expect(matchesPattern({ k: [{ wildcard: 'ab*ba' }] }, { k: 'aba' })).toBe(false);
  });
  test('escaped star and backslash are literal', () => {
    expect(matchesPattern({ k: [{ wildcard: 'a\\*b' }] }, { k: 'a*b' })).toBe(true);
    expect(matchesPattern({ k: [{ wildcard: 'a\\*b' }] }, { k: 'axb' })).toBe(false);
    expect(matchesPattern({ k: [{ wildcard: 'a\\\\*' }] }, { k: 'a\\xyz' })).toBe(true);
  });
  test('a wildcard without stars is an exact match', () => {
    expect(matchesPattern({ k: [{ wildcard: 'abc' }] }, { k: 'abc' })).toBe(true);
    expect(matchesPattern({ k: [{ wildcard: 'abc' }] }, { k: 'abcd' })).toBe(false);
  });
});

describe('Comparison operators: anything-but', () => {
  test('a string: state is anything but "initializing"', () => {
    const pattern = { detail: { state: [{ 'anything-but': 'initializing' }] } };
    expect(matchesPattern(pattern, rulerEvent)).toBe(true);
    expect(matchesPattern(pattern, { detail: { state: 'initializing' } })).toBe(false);
  });
  test('a number and a list of numbers compare numerically', () => {
    expect(matchesPattern({ detail: { 'x-limit': [{ 'anything-but': 123 }] } }, rulerEvent)).toBe(true);
    expect(matchesPattern({ detail: { 'x-limit': [{ 'anything-but': [100, 200, 300] }] } }, { detail: { 'x-limit': 3e2 } })).toBe(false);
    expect(matchesPattern({ detail: { 'x-limit': [{ 'anything-but': [100, 200, 300] }] } }, rulerEvent)).toBe(true);
  });
  test('a list of strings', () => {
    const pattern = { detail: { state: [{ 'anything-but': ['stopped', 'overloaded'] }] } };
    expect(matchesPattern(pattern, { detail: { state: 'stopped' } })).toBe(false);
    expect(matchesPattern(pattern, { detail: { state: 'running' } })).toBe(true);
  });
  test('matches null and values of other types, never an absent field', () => {
    const pattern = { state: [{ 'anything-but': 'initializing' }] };
    expect(matchesPattern(pattern, { state: null })).toBe(true);
    expect(matchesPattern(pattern, { state: 5 })).toBe(true);
    expect(matchesPattern(pattern, {})).toBe(false);
    expect(matchesPattern({ n: [{ 'anything-but': [1, 2] }] }, { n: '1' })).toBe(true);
  });
  test('an event array matches when some element is not excluded (SNS/EventBridge shared semantics)', () => {
    const pattern = { price: [{ 'anything-but': [100, 500] }] };
    expect(matchesPattern(pattern, { price: [100, 50] })).toBe(true);
    expect(matchesPattern(pattern, { price: [100, 500] })).toBe(false);
  });
  test('anything-but prefix: Region is not in the US', () => {
    const pattern = { Region: [{ 'anything-but': { prefix: 'us-' } }] };
    expect(matchesPattern(pattern, { Region: 'eu-west-1' })).toBe(true);
    expect(matchesPattern(pattern, { Region: 'us-east-1' })).toBe(false);
  });
  test('anything-but suffix: FileName does not end with .png', () => {
    const pattern = { FileName: [{ 'anything-but': { suffix: '.png' } }] };
    expect(matchesPattern(pattern, { FileName: 'a.jpg' })).toBe(true);
    expect(matchesPattern(pattern, { FileName: 'a.png' })).toBe(false);
  });
  test('anything-but equals-ignore-case, single value and list', () => {
    expect(matchesPattern({ state: [{ 'anything-but': { 'equals-ignore-case': 'initializing' } }] }, { state: 'INITIALIZING' })).toBe(false);
    expect(matchesPattern({ state: [{ 'anything-but': { 'equals-ignore-case': ['a', 'b'] } }] }, { state: 'B' })).toBe(false);
    expect(matchesPattern({ state: [{ 'anything-but': { 'equals-ignore-case': ['a', 'b'] } }] }, { state: 'c' })).toBe(true);
  });
  test('anything-but wildcard: FilePath does not include /lib/', () => {
    const pattern = { FilePath: [{ 'anything-but': { wildcard: '*/lib/*' } }] };
    expect(matchesPattern(pattern, { FilePath: '/usr/lib/x' })).toBe(false);
    expect(matchesPattern(pattern, { FilePath: '/usr/bin/x' })).toBe(true);
  });
});

describe('Comparison operators: numeric', () => {
  test('the content-filtering example (ranges, <, =) matches the event-ruler sample event', () => {
    const pattern = {
      detail: {
        'c-count': [{ numeric: ['>', 0, '<=', 5] }],
        'd-count': [{ numeric: ['<', 10] }],
        'x-limit': [{ numeric: ['=', 3.018e2] }],
      },
    };
    expect(matchesPattern(pattern, rulerEvent)).toBe(true);
    expect(matchesPattern(pattern, { detail: { ...rulerEvent.detail, 'c-count': 0 } })).toBe(false);
    expect(matchesPattern(pattern, { detail: { ...rulerEvent.detail, 'c-count': 5.000001 } })).toBe(false);
  });
  test('open and closed bounds', () => {
    expect(matchesPattern({ n: [{ numeric: ['>=', 10] }] }, { n: 10 })).toBe(true);
    expect(matchesPattern({ n: [{ numeric: ['>', 10] }] }, { n: 10 })).toBe(false);
    expect(matchesPattern({ n: [{ numeric: ['<', 10] }] }, { n: 10 })).toBe(false);
    expect(matchesPattern({ n: [{ numeric: ['<=', 10] }] }, { n: 10 })).toBe(true);
    expect(matchesPattern({ n: [{ numeric: ['>', 10, '<', 20] }] }, { n: 20 })).toBe(false);
  });
  test('numeric works only on JSON numbers', () => {
    expect(matchesPattern({ n: [{ numeric: ['>', 0] }] }, { n: '5' })).toBe(false);
    expect(matchesPattern({ n: [{ numeric: ['>', 0] }] }, { n: null })).toBe(false);
  });
  test('event numbers outside -5e9..5e9 never satisfy a numeric comparison', () => {
    expect(matchesPattern({ n: [{ numeric: ['>', 0] }] }, { n: 6e9 })).toBe(false);
    expect(matchesPattern({ n: [{ numeric: ['>', 0] }] }, { n: 5e9 })).toBe(true);
  });
  test('comparisons are exact to six decimals (0.1 + 0.2 is 0.3 there)', () => {
    expect(matchesPattern({ n: [{ numeric: ['=', 0.3] }] }, { n: 0.3 })).toBe(true);
    expect(matchesPattern({ n: [{ numeric: ['>', 0.000001] }] }, { n: 0.000002 })).toBe(true);
  });
});

describe('Comparison operators: IP address matching (cidr)', () => {
  test('IPv4 10.0.0.0/24', () => {
    const pattern = { detail: { sourceIPAddress: [{ cidr: '10.0.0.0/24' }] } };
    expect(matchesPattern(pattern, { detail: { sourceIPAddress: '10.0.0.255' } })).toBe(true);
    expect(matchesPattern(pattern, { detail: { sourceIPAddress: '10.0.1.0' } })).toBe(false);
    expect(matchesPattern(pattern, { detail: { sourceIPAddress: 'AWS Internal' } })).toBe(false);
  });
  test('IPv6', () => {
    const pattern = { ip: [{ cidr: '2001:db8::/32' }] };
    expect(matchesPattern(pattern, { ip: '2001:db8:0:0:1::1' })).toBe(true);
    expect(matchesPattern(pattern, { ip: '2001:db9::1' })).toBe(false);
    expect(matchesPattern(pattern, { ip: '10.0.0.1' })).toBe(false);
  });
  test('an exact IP value matches other spellings of the same address', () => {
    expect(matchesPattern({ ip: ['2001:db8::1'] }, { ip: '2001:0db8:0:0:0:0:0:1' })).toBe(true);
  });
});

describe('Comparison operators: exists', () => {
  test('exists true/false on a leaf (content filtering: exists matching)', () => {
    expect(matchesPattern({ detail: { 'c-count': [{ exists: true }] } }, rulerEvent)).toBe(true);
    expect(matchesPattern({ detail: { 'c-count': [{ exists: false }] } }, rulerEvent)).toBe(false);
    expect(matchesPattern({ detail: { 'e-count': [{ exists: false }] } }, rulerEvent)).toBe(true);
  });
  test('exists false matches when c-count is an object: only leaves count (documented example)', () => {
    const event = { detail: { state: ['initializing', 'running'], 'c-count': { c1: 100 } } };
    expect(matchesPattern({ detail: { 'c-count': [{ exists: false }] } }, event)).toBe(true);
    expect(matchesPattern({ detail: { 'c-count': [{ exists: true }] } }, event)).toBe(false);
  });
  test('null is present; an empty array is absent', () => {
    expect(matchesPattern({ rp: [{ exists: true }] }, { rp: null })).toBe(true);
    expect(matchesPattern({ rp: [{ exists: false }] }, { rp: [] })).toBe(true);
  });
  test('exists false when the parent object is missing altogether', () => {
    expect(matchesPattern({ detail: { errorCode: [{ exists: false }] } }, { source: 'x' })).toBe(true);
  });
  test('exists false means absent from the whole event, also across array elements', () => {
    expect(matchesPattern({ items: { x: [{ exists: false }] } }, { items: [{ x: 1 }, { y: 2 }] })).toBe(false);
    expect(matchesPattern({ items: { x: [{ exists: false }] } }, { items: [{ y: 1 }, { y: 2 }] })).toBe(true);
  });
  test('exists mixed with values in one list', () => {
    const pattern = { errorCode: ['AccessDenied', { exists: false }] };
    expect(matchesPattern(pattern, {})).toBe(true);
    expect(matchesPattern(pattern, { errorCode: 'AccessDenied' })).toBe(true);
    expect(matchesPattern(pattern, { errorCode: 'Throttling' })).toBe(false);
  });
});

describe('Comparison operators: $or', () => {
  test('Location is "New York" or Day is "Monday"', () => {
    const pattern = { $or: [{ Location: ['New York'] }, { Day: ['Monday'] }] };
    expect(matchesPattern(pattern, { Location: 'New York', Day: 'Friday' })).toBe(true);
    expect(matchesPattern(pattern, { Location: 'Paris', Day: 'Monday' })).toBe(true);
    expect(matchesPattern(pattern, { Location: 'Paris', Day: 'Friday' })).toBe(false);
  });
  test('event-ruler README: "Or" has an "And" inside, and nested "Or"', () => {
    const pattern = {
      source: ['aws.cloudwatch'],
      $or: [
        { metricName: ['CPUUtilization', 'ReadLatency'] },
        { metricType: ['MetricType'], namespace: ['AWS/EC2', 'AWS/ES'], $or: [{ metricId: [1234] }, { spaceId: [1000] }] },
        { scope: ['Service'] },
      ],
    };
    expect(matchesPattern(pattern, { source: 'aws.cloudwatch', metricType: 'MetricType', namespace: 'AWS/ES', spaceId: 1000 })).toBe(true);
    expect(matchesPattern(pattern, { source: 'aws.cloudwatch', metricType: 'MetricType', namespace: 'AWS/ES' })).toBe(false);
    expect(matchesPattern(pattern, { source: 'aws.cloudwatch', scope: 'Service' })).toBe(true);
    expect(matchesPattern(pattern, { source: 'aws.other', scope: 'Service' })).toBe(false);
  });
  test('$or inside a nested object (parallel "Or")', () => {
    const pattern = { detail: { $or: [{ eventName: ['CreateJob'] }, { serviceEventDetails: { status: ['New'] } }] } };
    expect(matchesPattern(pattern, { detail: { eventName: 'CreateJob' } })).toBe(true);
    expect(matchesPattern(pattern, { detail: { serviceEventDetails: { status: 'New' } } })).toBe(true);
    expect(matchesPattern(pattern, { detail: { eventName: 'JobStatusChanged' } })).toBe(false);
  });
});

describe('matchesPattern inputs', () => {
  test('an event that is not an object never matches', () => {
    expect(matchesPattern({ a: [{ exists: false }] }, null)).toBe(false);
    expect(matchesPattern({ a: [{ exists: false }] }, [{}])).toBe(false);
  });
  test('a pattern may be given as JSON text', () => {
    expect(matchesPattern('{"a":["x"]}', { a: 'x' })).toBe(true);
  });
  test('inherited object properties are not event fields', () => {
    expect(matchesPattern({ constructor: [{ exists: true }] }, {})).toBe(false);
  });
});
