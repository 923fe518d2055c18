/**
 * The Security Hub client, loaded with `import()` when a handler first publishes (the GetObject handler, which
 * publishes only when a window is flagged). The CloudTrail handler imports this module statically and passes it to
 * the client factory as `preloaded`: it publishes on nearly every event.
 */
export { SecurityHubClient } from '@aws-sdk/client-securityhub';
