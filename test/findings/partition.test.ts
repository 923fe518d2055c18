import { cloudTrailEventUrl, partitionOf } from '../../handlers/findings';

describe('partitionOf', () => {
  it.each([
    ['us-east-1', 'aws'],
    ['me-central-3r', 'aws'],
    ['cn-north-1', 'aws-cn'],
    ['cn-northwest-1', 'aws-cn'],
    ['us-gov-west-1', 'aws-us-gov'],
    ['us-gov-east-1', 'aws-us-gov'],
    ['us-iso-east-1', 'aws-us-iso'],
    ['us-isob-east-1', 'aws-us-iso-b'],
  ])('%s is in %s', (region, partition) => {
    expect(partitionOf(region)).toBe(partition);
  });
});

describe('cloudTrailEventUrl', () => {
  it('links to the regional console in aws', () => {
    expect(cloudTrailEventUrl('aws', 'eu-west-1', 'abc-1')).toBe(
      'https://eu-west-1.console.aws.amazon.com/cloudtrailv2/home?region=eu-west-1#/events/abc-1',
    );
  });

  it('uses the GovCloud console host', () => {
    expect(cloudTrailEventUrl('aws-us-gov', 'us-gov-west-1', 'e')).toBe(
      'https://console.amazonaws-us-gov.com/cloudtrailv2/home?region=us-gov-west-1#/events/e',
    );
  });

  it('escapes what does not belong in a URL', () => {
    expect(cloudTrailEventUrl('aws', 'us-east-1', 'a b#c')).toMatch(/#\/events\/a%20b%23c$/);
  });

  it('gives no link for a region that cannot be a host name (found by the handler fuzz test)', () => {
    expect(cloudTrailEventUrl('aws', 'AWS Internal', 'e')).toBeUndefined();
    expect(cloudTrailEventUrl('aws', '', 'e')).toBeUndefined();
    expect(cloudTrailEventUrl('aws', 'me-central-3r', 'e')).toBe(
      'https://me-central-3r.console.aws.amazon.com/cloudtrailv2/home?region=me-central-3r#/events/e',
    );
  });

  it('gives no link in the isolated partitions', () => {
    expect(cloudTrailEventUrl('aws-us-iso', 'us-iso-east-1', 'e')).toBeUndefined();
  });
});
