import { createInMemoryEventStore } from '@strata/core';
import { describeEventStoreContract } from '../src/index.js';

describeEventStoreContract('in-memory', () => createInMemoryEventStore());

describeEventStoreContract('in-memory with a 64 KiB event limit', () => createInMemoryEventStore({ limits: { maxEventBytes: 64 * 1024 } }), {
  maxEventBytes: 64 * 1024,
  propertyRuns: 10,
});
