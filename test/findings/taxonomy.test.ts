import { findingTypeProblem } from '../../handlers/findings';

describe('findingTypeProblem', () => {
  it.each([
    'Effects/Data Exfiltration',
    'Effects/Data Exposure',
    'TTPs/Collection',
    'TTPs',
    'Unusual Behaviors/User',
    'TTPs/Defense Evasion/CloudTrailStopped',
    'Software and Configuration Checks/Vulnerabilities/CVE',
  ])('accepts %s', (type) => {
    expect(findingTypeProblem(type)).toBeUndefined();
  });

  it.each([
    ['TTPs/Exfiltration', /category "Exfiltration" is not in the TTPs taxonomy/],
    ['Effects/Data Theft', /category "Data Theft"/],
    ['Exfiltration', /namespace must be one of/],
    ['effects/Data Exfiltration', /namespace must be one of/],
    ['Effects/Data Exfiltration/', /empty classifier/],
    ['', /namespace must be one of/],
  ])('rejects %j', (type, problem) => {
    expect(findingTypeProblem(type)).toMatch(problem);
  });
});
