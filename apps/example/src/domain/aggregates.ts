// The module the command processor's worker threads load by URL: every `defineAggregate` export
// here is registered under its name.
export { account } from './account.js';
export { transfer } from './transfer.js';
