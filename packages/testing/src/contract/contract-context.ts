import type { EventStore } from '@strata/core';
import type { ResolvedContractOptions } from './contract-options.js';
import type { StoreHarness } from './store-harness.js';

/** What each group of contract cases receives. */
export type ContractContext = {
  /** The fresh store of the running case. */
  store(): EventStore;
  /** Opens extra stores (property-based runs use one per run). */
  readonly harness: StoreHarness;
  readonly options: ResolvedContractOptions;
};

/** A group of contract cases: registers its `it`s inside the suite's `describe`. */
export type ContractCases = (context: ContractContext) => void;
