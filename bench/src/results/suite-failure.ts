/** A suite that could not be loaded or crashed while running. */
export type SuiteFailure = { suite: string; error: string };
