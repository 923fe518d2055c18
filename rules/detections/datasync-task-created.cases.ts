import { failWithNullParameters, type DetectionCase } from './cases';

const CREATED = '001-datasync-createtask-doc.json';

export const datasyncTaskCreatedCases: readonly DetectionCase[] = [
  {
    name: 'AWS documentation example: CreateTask succeeded',
    record: { fixture: CREATED },
    matchesPattern: true,
    signals: 1,
    severity: 'MEDIUM',
    summaryIncludes: 'DataSync task task-00e5db3f3f41f6cd2 copying location loc-04aaa9c609812135d to location loc-020c33c5d9966f40a',
    why: '80 x 80 / 100 = 64; the summary names the task and both locations',
  },
  {
    name: 'failed CreateTask without parameters',
    record: { fixture: CREATED, mutate: (r) => failWithNullParameters(r) },
    matchesPattern: true,
    signals: 1,
    severity: 'LOW',
    summaryIncludes: 'a DataSync task',
    why: 'an attempt stays visible at half the score (32)',
  },
  {
    name: 'another DataSync call',
    record: {
      fixture: CREATED,
      mutate: (r) => {
        r.eventName = 'DescribeTask';
      },
    },
    matchesPattern: false,
    signals: 0,
    why: 'only task creation is a hit',
  },
  {
    name: 'CreateTask of another service',
    record: {
      fixture: CREATED,
      mutate: (r) => {
        r.eventSource = 'mgn.amazonaws.com';
      },
    },
    matchesPattern: false,
    signals: 0,
    why: 'the pattern pins eventSource: eventName alone is shared by several services',
  },
  {
    name: 'DataSync task for an allowlisted migration role',
    record: { fixture: CREATED },
    config: { allowlist: [{ principal: 'arn:aws:iam::123456789012:user/user1', reason: 'migration owner' }] },
    matchesPattern: true,
    signals: 1,
    severity: 'INFORMATIONAL',
    why: 'allowlisted principals are kept at INFORMATIONAL',
  },
];
