/** An AWS DataSync task created: a ready-made pipe that copies a whole location to another. */
import { API_CALL } from '../cloudtrail';
import type { Detection, ResourceRef } from '../detection';
import { AUTOMATED_EXFILTRATION, FINDING_TYPES, TRANSFER_DATA_TO_CLOUD_ACCOUNT } from './lib/attack';
import { requestParameters, responseElements, stringAt } from './lib/read';

/** `arn:aws:datasync:r:a:location/loc-1` -> `loc-1`. */
function locationId(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1) || arn;
}

export const datasyncTaskCreated: Detection = {
  id: 'datasync-task-created',
  title: 'DataSync task created',
  description:
    'CreateTask set up an AWS DataSync transfer from a source location to a destination location. DataSync moves ' +
    'whole file systems and buckets at high speed, to locations an attacker can point at storage they control.',
  attack: [TRANSFER_DATA_TO_CLOUD_ACCOUNT, AUTOMATED_EXFILTRATION],
  findingTypes: [FINDING_TYPES.exfiltration, FINDING_TYPES.unusualUser],
  patterns: [
    {
      source: ['aws.datasync'],
      'detail-type': [API_CALL],
      detail: { eventSource: ['datasync.amazonaws.com'], eventName: ['CreateTask'] },
    },
  ],
  impact: 80,
  confidence: 80,
  evaluate(event) {
    // A failed call (requestParameters null) is still an attempt worth seeing: the scoring halves it.
    const params = requestParameters(event);
    const taskArn = stringAt(responseElements(event), 'taskArn');
    const taskName = stringAt(params, 'name');
    const source = stringAt(params, 'sourceLocationArn');
    const destination = stringAt(params, 'destinationLocationArn');
    const resources: ResourceRef[] = [
      {
        type: 'Other',
        id: taskArn ?? taskName ?? 'unknown-datasync-task',
        region: event.region,
        details: {
          ...(taskName ? { name: taskName } : {}),
          ...(source ? { sourceLocationArn: source } : {}),
          ...(destination ? { destinationLocationArn: destination } : {}),
        },
      },
    ];
    for (const location of [source, destination]) {
      if (location) resources.push({ type: 'Other', id: location, region: event.region });
    }
    const what = taskArn ? `DataSync task ${locationId(taskArn)}` : `a DataSync task${taskName ? ` (${taskName})` : ''}`;
    const route =
      source && destination ? ` copying location ${locationId(source)} to location ${locationId(destination)}` : '';
    return [
      {
        summary: `created ${what}${route}`,
        resources,
        facts: {
          ...(taskArn ? { taskArn } : {}),
          ...(source ? { sourceLocationArn: source } : {}),
          ...(destination ? { destinationLocationArn: destination } : {}),
        },
      },
    ];
  },
  falsePositives: [
    'Planned migrations and scheduled backups with DataSync: allowlist the automation role with a reason.',
  ],
  investigation: [
    'What are the source and destination locations (DescribeLocation*)? Is the destination storage owned by the organization?',
    'Who created the task, from where, and were the locations created just before by the same principal (CreateLocation*)?',
    'Was the task started (StartTaskExecution) and how many bytes moved (DescribeTaskExecution)?',
  ],
  remediation: {
    text: 'Cancel running executions (CancelTaskExecution), delete the task and any unexpected locations, and review the principal\'s credentials.',
    url: 'https://docs.aws.amazon.com/datasync/latest/userguide/logging-using-cloudtrail.html',
  },
  references: [
    'Splunk security_content: AWS Exfiltration via DataSync Task',
    'https://attack.mitre.org/techniques/T1537/',
    'https://attack.mitre.org/techniques/T1020/',
  ],
};
