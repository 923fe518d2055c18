/**
 * The ASFF `Types` taxonomy: `namespace[/category[/classifier]]`. Namespaces are mandatory; AWS only
 * recommends its categories, but we hold our own findings to them so that a made-up category such as
 * `TTPs/Exfiltration` (exfiltration lives under `Effects/Data Exfiltration`) fails a test instead of landing in
 * Security Hub where no insight or filter would find it. Classifiers are free text.
 */
export const FINDING_TYPE_TAXONOMY: Readonly<Record<string, readonly string[]>> = {
  'Software and Configuration Checks': [
    'Vulnerabilities',
    'AWS Security Best Practices',
    'Industry and Regulatory Standards',
  ],
  TTPs: [
    'Initial Access',
    'Execution',
    'Persistence',
    'Privilege Escalation',
    'Defense Evasion',
    'Credential Access',
    'Discovery',
    'Lateral Movement',
    'Collection',
    'Command and Control',
  ],
  Effects: ['Data Exposure', 'Data Exfiltration', 'Data Destruction', 'Denial of Service', 'Resource Consumption'],
  'Unusual Behaviors': [
    'Application',
    'Network Flow',
    'IP address',
    'User',
    'VM',
    'Container',
    'Serverless',
    'Process',
    'Database',
    'Data',
  ],
  'Sensitive Data Identifications': ['PII', 'Passwords', 'Legal', 'Financial', 'Security', 'Business'],
};

/** Why `type` is not a valid ASFF finding type, or undefined when it is. */
export function findingTypeProblem(type: string): string | undefined {
  const [namespace, category, ...rest] = type.split('/');
  const classifier = rest.join('/');
  if (namespace === undefined || !(namespace in FINDING_TYPE_TAXONOMY)) {
    return `"${type}": namespace must be one of ${Object.keys(FINDING_TYPE_TAXONOMY).join(' | ')}`;
  }
  if (category === undefined) return undefined;
  const categories = FINDING_TYPE_TAXONOMY[namespace] ?? [];
  if (!categories.includes(category)) {
    return `"${type}": category "${category}" is not in the ${namespace} taxonomy (${categories.join(' | ')})`;
  }
  if (rest.length > 0 && classifier.trim() === '') return `"${type}": empty classifier`;
  return undefined;
}
