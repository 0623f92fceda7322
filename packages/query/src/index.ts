export { createReadModelStore, type ReadModelStoreOptions } from './store/create-read-model-store.js';
export type { ReadModelStore } from './store/read-model-store-api.js';
export type { CollectionOptions } from './store/collection-options.js';
export type { ReadModelTransaction, TransactionCollection } from './store/read-model-transaction.js';
export type { Collection, Explanation, PlanAlternative } from './collection/collection.js';
export type { FindQuery, FindResult, Where, FieldCondition, OrderBy, FieldType } from './query/query-types.js';
export type { Scalar } from './document/value-order.js';
export type { IndexSpec, IndexDefinition } from './storage/index-definition.js';
export type { QueryPlan, AccessPath, IndexScanNode, EqualityBound, RangeBound } from './planner/plan.js';
export type { PlanCacheStats } from './planner/plan-cache.js';
export type { SortKey } from './query/predicate-tree.js';
export {
  QueryErrorCodes,
  type QueryErrorCode,
  UniqueViolationError,
  DocumentExistsError,
  SortLimitExceededError,
  OwnershipConflictError,
} from './errors/query-errors.js';
