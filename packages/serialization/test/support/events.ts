import type { RecordToEncode } from '../../src/index.js';

/** A typical recorded event, with overrides. */
export function sampleRecord(overrides: Partial<RecordToEncode> = {}): RecordToEncode {
  return {
    streamId: 'account-42',
    version: 3,
    position: 1_234_567,
    id: '5f0c1d7e-5d3a-4f0e-9c2b-7a1d3e5f9b10',
    type: 'MoneyDeposited',
    data: { accountId: 'acc-42', amount: 12.5, currency: 'EUR', approved: true, tags: ['salary'] },
    metadata: { correlationId: 'c-1', userId: 'user-7' },
    recordedAt: Date.UTC(2025, 0, 2, 3, 4, 5, 678),
    ...overrides,
  };
}
