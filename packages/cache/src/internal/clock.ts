/**
 * A wall clock in milliseconds since the Unix epoch. Entry deadlines are absolute times shared
 * with other threads, processes and machines (through L2 and the remote tier), so the clock must be
 * the wall clock, not a monotonic one. Tests inject a fake one.
 */
export type Clock = () => number;

/** `Date.now`. */
export const systemClock: Clock = () => Date.now();
