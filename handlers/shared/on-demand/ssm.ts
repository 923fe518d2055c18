/**
 * The SSM client and Powertools' SSMProvider, loaded with `import()` the first time a config parameter is read
 * (a chunk of its own in the Lambda bundle, so module init does not parse it). Only what is re-exported here is
 * bundled: a dynamic import of `@aws-sdk/client-ssm` itself would keep every SSM command.
 */
export { SSMClient } from '@aws-sdk/client-ssm';
export { SSMProvider } from '@aws-lambda-powertools/parameters/ssm';
