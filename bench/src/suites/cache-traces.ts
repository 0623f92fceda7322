/**
 * Request traces and the offline optimum for the cache hit-ratio suite (a helper: no default
 * export, so the runner does not treat it as a suite). Traces are arrays of key ids, generated from
 * a fixed seed so every run and every policy replays the same requests.
 */

/** mulberry32: a small, fast, seeded generator of uniform floats in [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * Samples Zipf(`exponent`) ranks over `keys` keys by inverting the cumulative distribution (a
 * binary search of a precomputed table). Rank r is drawn with probability ∝ 1 / r^exponent; ranks
 * map to ids through a fixed permutation, so popularity is not correlated with id order.
 */
export function zipfSampler(keys: number, exponent: number, random: () => number): () => number {
  const cdf = new Float64Array(keys);
  let sum = 0;
  for (let rank = 1; rank <= keys; rank++) {
    sum += 1 / Math.pow(rank, exponent);
    cdf[rank - 1] = sum;
  }
  for (let i = 0; i < keys; i++) cdf[i] = (cdf[i] as number) / sum;
  const permutation = shuffledIds(keys, random);
  return () => {
    const u = random();
    let low = 0;
    let high = keys - 1;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if ((cdf[mid] as number) < u) low = mid + 1;
      else high = mid;
    }
    return permutation[low] as number;
  };
}

function shuffledIds(count: number, random: () => number): Int32Array {
  const ids = new Int32Array(count);
  for (let i = 0; i < count; i++) ids[i] = i;
  for (let i = count - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const swap = ids[i] as number;
    ids[i] = ids[j] as number;
    ids[j] = swap;
  }
  return ids;
}

/** `requests` draws of Zipf(`exponent`) over `keys` keys. */
export function zipfTrace(requests: number, keys: number, exponent: number, seed: number): Int32Array {
  const random = seededRandom(seed);
  const next = zipfSampler(keys, exponent, random);
  const trace = new Int32Array(requests);
  for (let i = 0; i < requests; i++) trace[i] = next();
  return trace;
}

/**
 * A scan-heavy trace: a Zipf(`exponent`) workload over `keys` keys, interleaved at random with a
 * loop that sweeps, over and over, `loopKeys` other keys in order (a share `loopShare` of the
 * requests). The loop is larger than the cache, so under LRU its keys keep flushing the hot set
 * without ever being hit themselves.
 */
export function scanTrace(requests: number, keys: number, exponent: number, loopKeys: number, loopShare: number, seed: number): Int32Array {
  const random = seededRandom(seed);
  const next = zipfSampler(keys, exponent, random);
  const trace = new Int32Array(requests);
  let loopPosition = 0;
  for (let i = 0; i < requests; i++) {
    if (random() < loopShare) {
      trace[i] = keys + loopPosition;
      loopPosition = (loopPosition + 1) % loopKeys;
    } else {
      trace[i] = next();
    }
  }
  return trace;
}

/**
 * The hit ratio of Belady's optimal policy (MIN) with bypass, computed offline: on a miss the
 * cache keeps the request's key only if it will be used again sooner than the cached key used
 * furthest in the future, which it evicts. No policy that knows only the past can do better, and
 * bypass makes it the right bound for policies that may refuse admission (W-TinyLFU).
 */
export function beladyHitRatio(trace: Int32Array, keySpace: number, capacity: number): number {
  const never = 0x7fffffff;
  const nextUse = new Int32Array(trace.length);
  const seenAt = new Int32Array(keySpace).fill(never);
  for (let i = trace.length - 1; i >= 0; i--) {
    const key = trace[i] as number;
    nextUse[i] = seenAt[key] as number;
    seenAt[key] = i;
  }
  // A max-heap of (next use, key) with lazy deletion: an entry is current only while it matches
  // cachedNext[key]; stale entries are skipped when they surface.
  const cachedNext = new Int32Array(keySpace).fill(-1);
  const heapNext = new Int32Array(trace.length + capacity + 1);
  const heapKey = new Int32Array(trace.length + capacity + 1);
  let heapSize = 0;
  let cached = 0;
  let hits = 0;
  const push = (next: number, key: number): void => {
    let i = heapSize++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if ((heapNext[parent] as number) >= next) break;
      heapNext[i] = heapNext[parent] as number;
      heapKey[i] = heapKey[parent] as number;
      i = parent;
    }
    heapNext[i] = next;
    heapKey[i] = key;
  };
  const pop = (): void => {
    const lastNext = heapNext[--heapSize] as number;
    const lastKey = heapKey[heapSize] as number;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= heapSize) break;
      if (child + 1 < heapSize && (heapNext[child + 1] as number) > (heapNext[child] as number)) child++;
      if ((heapNext[child] as number) <= lastNext) break;
      heapNext[i] = heapNext[child] as number;
      heapKey[i] = heapKey[child] as number;
      i = child;
    }
    heapNext[i] = lastNext;
    heapKey[i] = lastKey;
  };
  const dropStaleTop = (): void => {
    while (heapSize > 0 && cachedNext[heapKey[0] as number] !== heapNext[0]) pop();
  };
  for (let i = 0; i < trace.length; i++) {
    const key = trace[i] as number;
    const next = nextUse[i] as number;
    if (cachedNext[key] !== -1) {
      hits++;
      if (next === never) {
        cachedNext[key] = -1;
        cached--;
      } else {
        cachedNext[key] = next;
        push(next, key);
      }
      continue;
    }
    if (next === never) continue;
    if (cached < capacity) {
      cachedNext[key] = next;
      push(next, key);
      cached++;
      continue;
    }
    dropStaleTop();
    if ((heapNext[0] as number) <= next) continue; // bypass: every cached key is needed sooner
    cachedNext[heapKey[0] as number] = -1;
    pop();
    cachedNext[key] = next;
    push(next, key);
  }
  return hits / trace.length;
}
