/**
 * A small seeded random number generator (xorshift32) returning integers below `below`, so a
 * failing randomised test can be replayed from its seed.
 */
export function seededRandom(seed: number): (below: number) => number {
  let state = seed >>> 0 || 0x9e3779b9;
  return (below) => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state % below;
  };
}
