/**
 * The Organizations client, loaded with `import()` only when account discovery is on
 * (EXFILTRAIL_ORG_ACCOUNTS_FROM_ORGANIZATIONS): a chunk of its own in the Lambda bundle that most functions never
 * load. Only what is re-exported here is bundled.
 */
export { OrganizationsClient, paginateListAccounts } from '@aws-sdk/client-organizations';
