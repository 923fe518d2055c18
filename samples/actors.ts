/**
 * Who calls AWS in the synthetic organization, with `userIdentity` blocks shaped like the real records in
 * test/fixtures/cloudtrail (IAM user: 022/033; assumed role: 019; AWS service: 005/030).
 */
import { UPPER_ALNUM, type Random } from './random';

export interface OrgAccount {
  id: string;
  /** Short name used in bucket and role names (`prod`, `data`...). */
  name: string;
}

export interface Actor {
  /** Stable label for the story and README (`dana.dev`, `prod app role`). */
  label: string;
  userIdentity: Record<string, unknown>;
  sourceIPAddress: string;
  userAgent: string;
}

export function iamUser(account: string, userName: string, accessKeyId: string, principalId: string) {
  return {
    type: 'IAMUser',
    principalId,
    arn: `arn:aws:iam::${account}:user/${userName}`,
    accountId: account,
    accessKeyId,
    userName,
  };
}

export function assumedRole(
  account: string,
  roleName: string,
  roleId: string,
  sessionName: string,
  accessKeyId: string,
  creationDate: string,
) {
  return {
    type: 'AssumedRole',
    principalId: `${roleId}:${sessionName}`,
    arn: `arn:aws:sts::${account}:assumed-role/${roleName}/${sessionName}`,
    accountId: account,
    accessKeyId,
    sessionContext: {
      sessionIssuer: {
        type: 'Role',
        principalId: roleId,
        arn: `arn:aws:iam::${account}:role/${roleName}`,
        accountId: account,
        userName: roleName,
      },
      attributes: { creationDate, mfaAuthenticated: 'false' },
    },
  };
}

export const UA = {
  javaSdk: 'aws-sdk-java/2.25.16 Linux/5.10.219-208.866.amzn2.x86_64 OpenJDK_64-Bit_Server_VM/17.0.11+9-LTS Java/17.0.11 exec-env/AWS_ECS_EC2',
  cli: 'aws-cli/2.15.30 Python/3.11.8 Linux/6.5.0-1016-azure exe/x86_64.ubuntu.22 prompt/off',
  cliMac: 'aws-cli/2.17.5 md/awscrt#0.20.11 ua/2.0 os/macos#23.5.0 md/arch#arm64 lang/python#3.11.9 md/pyimpl#CPython cfg/retry-mode#standard md/installer#source md/prompt#off',
  boto3: 'Boto3/1.34.84 md/Botocore#1.34.84 ua/2.0 os/linux#5.15.0-1057-aws md/arch#x86_64 lang/python#3.12.2 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.84',
  console: 'AWS Internal',
  browser: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36',
  config: 'config.amazonaws.com',
  backup: 'backup.amazonaws.com',
} as const;

/** A role id (`AROA` + 17) or user id (`AIDA` + 17) or access key (`AKIA`/`ASIA` + 16). */
export function awsId(rand: Random, prefix: 'AROA' | 'AIDA' | 'AKIA' | 'ASIA'): string {
  return prefix + rand.chars(prefix === 'AKIA' || prefix === 'ASIA' ? 16 : 17, UPPER_ALNUM);
}

/** The everyday callers of one account: workloads, CI, people through SSO, AWS Config. */
export function accountActors(account: OrgAccount, rand: Random, creationDate: string): Actor[] {
  const id = account.id;
  const instance = `i-0${rand.chars(16, '0123456789abcdef')}`;
  const ssoRole = `AWSReservedSSO_AdministratorAccess_${rand.chars(16, '0123456789abcdef')}`;
  const nat = `198.51.100.${rand.int(10, 99)}`;
  return [
    {
      label: `${account.name} app role`,
      userIdentity: assumedRole(id, `${account.name}-app-instance-role`, awsId(rand, 'AROA'), instance, awsId(rand, 'ASIA'), creationDate),
      sourceIPAddress: nat,
      userAgent: UA.javaSdk,
    },
    {
      label: `${account.name} etl role`,
      userIdentity: assumedRole(id, `${account.name}-etl-job`, awsId(rand, 'AROA'), `etl-${rand.chars(8, '0123456789')}`, awsId(rand, 'ASIA'), creationDate),
      sourceIPAddress: nat,
      userAgent: UA.boto3,
    },
    {
      label: `${account.name} CI deploy role`,
      userIdentity: assumedRole(id, 'github-actions-deploy', awsId(rand, 'AROA'), 'GitHubActions', awsId(rand, 'ASIA'), creationDate),
      sourceIPAddress: `198.51.100.${rand.int(200, 250)}`,
      userAgent: UA.cli,
    },
    {
      label: `${account.name} SSO admin`,
      userIdentity: assumedRole(id, ssoRole, awsId(rand, 'AROA'), 'alice@example.com', awsId(rand, 'ASIA'), creationDate),
      sourceIPAddress: '192.0.2.17',
      userAgent: UA.console,
    },
    {
      label: `${account.name} AWS Config`,
      userIdentity: {
        ...assumedRole(id, 'AWSServiceRoleForConfig', awsId(rand, 'AROA'), 'AWSConfig-Describe', awsId(rand, 'ASIA'), creationDate),
        invokedBy: 'config.amazonaws.com',
      },
      sourceIPAddress: 'config.amazonaws.com',
      userAgent: UA.config,
    },
  ];
}
