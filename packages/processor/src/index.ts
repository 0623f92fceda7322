export { createProcessor } from './processor/create-processor.js';
export { Processor, type ExecuteOptions, type ProcessorStats, type WorkerStats } from './processor/processor.js';
export type { ProcessorOptions } from './processor/processor-options.js';
export type { ExecuteResult } from './scheduler/stream-entry.js';
export { streamHomeWorker } from './scheduler/route-stream.js';
export { executeCommand, type CommandContext, type CommandInput, type CommandOutput } from './worker/execute-command.js';
export { StateCache, type CachedState } from './worker/state-cache.js';
export { WorkerCrashedError, ProcessorErrorCodes } from './errors/processor-errors.js';
