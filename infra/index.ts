/**
 * The Pulumi program (Pulumi.yaml `main`): read the `exfiltrail:*` stack configuration, validate it, and deploy
 * `ExfiltrationDetection` in the provider's region (`aws:region`). See docs/deploy.md and Pulumi.example.yaml.
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { ExfiltrationDetection } from './exfiltration-detection';
import { parseStackConfig, StackConfigError } from './stack-config';

const config = parseStackConfig(pulumi.runtime.allConfig());
const centralRegion = aws.config.region;
if (!centralRegion) {
  throw new StackConfigError('aws:region is not set: run `pulumi config set aws:region <central region>`', [
    'aws:region: required',
  ]);
}

const detection = new ExfiltrationDetection('exfiltrail', { config, centralRegion });

export const busArn = detection.busArn;
export const handlerRoleArns = detection.handlerRoleArns;
export const configParameterName = detection.configParameter.name;
export const alarmTopicArn = detection.alarms.topicArn;
export const detections = detection.enabledDetectionIds;
export const forwardingStackSet = detection.stackSets?.forwarding.name;
export const publisherStackSet = detection.stackSets?.publisher.name;
