export { createBatcher } from './batcher/create-batcher.js';
export type { Batcher, BatcherStats } from './batcher/batcher.js';
export type { AdaptiveOptions, BatcherOptions, BatchResults, OverloadPolicy } from './batcher/batcher-options.js';
