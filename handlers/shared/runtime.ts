/** Where the function runs, from its own ARN: the partition and the account (no STS call needed). */
import { PARTITIONS, type AwsPartition } from '../findings/limits';
import { HandlerSettingsError } from '../publish/errors';

export interface Runtime {
  partition: AwsPartition;
  accountId: string;
}

/** `arn:aws:lambda:eu-west-1:111122223333:function:name[:alias]` -> { partition: aws, accountId: 1111... }. */
export function runtimeOf(invokedFunctionArn: string | undefined): Runtime {
  const parts = (invokedFunctionArn ?? '').split(':');
  const partition = parts[1];
  const accountId = parts[4];
  if (parts[0] !== 'arn' || !isPartition(partition) || !accountId || !/^\d{12}$/u.test(accountId)) {
    throw new HandlerSettingsError(
      `cannot tell the function's account from context.invokedFunctionArn "${invokedFunctionArn ?? ''}"`,
    );
  }
  return { partition, accountId };
}

function isPartition(value: string | undefined): value is AwsPartition {
  return (PARTITIONS as readonly string[]).includes(value ?? '');
}
