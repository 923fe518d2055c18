/** The STS client, loaded with `import()` when a handler first assumes a publisher role (see security-hub.ts). */
export { STSClient } from '@aws-sdk/client-sts';
