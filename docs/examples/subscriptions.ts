import type { LmdbEventStore } from '@strata/store-lmdb';

/**
 * A durable subscriber: resumes after its checkpoint, handles each event once per run in
 * position order, and records how far it got. The totals live in memory here; a real read model
 * keeps them where its checkpoint is (see projections), so the two never disagree.
 */
export function followDeposits(store: LmdbEventStore, totals: Map<string, number>): Promise<{ stop(): Promise<void> }> {
  return (async () => {
    const from = ((await store.checkpoints.load('deposit-totals')) ?? -1) + 1;
    const subscription = store.subscribe({
      from,
      filter: { types: ['MoneyDeposited'], categories: ['account'] },
      async handler(event) {
        const { amount } = event.data as { amount: number };
        totals.set(event.streamId, (totals.get(event.streamId) ?? 0) + amount);
        await store.checkpoints.save('deposit-totals', event.position);
      },
    });
    return { stop: () => subscription.stop() };
  })();
}
