/** Shown for figures that could not be measured. */
export const NOT_AVAILABLE = 'n/a';

/** `value` with `digits` significant digits, without exponent notation (12300, 0.000123). */
export function significant(value: number, digits = 3): string {
  if (!Number.isFinite(value)) return NOT_AVAILABLE;
  if (value === 0) return '0';
  const magnitude = Math.floor(Math.log10(Math.abs(value)));
  const decimals = Math.max(0, digits - 1 - magnitude);
  const rounded = Number(value.toFixed(decimals));
  return decimals > 0 ? rounded.toFixed(decimals).replace(/\.?0+$/, '') : String(rounded);
}

/** Thresholds of the k/M/G suffixes, lowered so that 999,700 reads `1M`, not `1000k`. */
const SUFFIXES: readonly (readonly [number, string])[] = [
  [1e9, 'G'],
  [1e6, 'M'],
  [1e3, 'k'],
];

/** Operations per second with a k/M/G suffix and 3 significant digits: `1.23M`, `456k`, `987`. */
export function formatOps(opsPerSec: number): string {
  if (!Number.isFinite(opsPerSec)) return NOT_AVAILABLE;
  const abs = Math.abs(opsPerSec);
  for (const [scale, suffix] of SUFFIXES) {
    if (abs >= scale * 0.9995) return `${significant(opsPerSec / scale)}${suffix}`;
  }
  return significant(opsPerSec);
}

/** A duration in ms with 3 significant digits. */
export function formatMs(ms: number | undefined): string {
  return ms === undefined ? NOT_AVAILABLE : significant(ms);
}

/** A ratio such as `0.93×` (two decimals below 10, one above). */
export function formatRatio(ratio: number): string {
  if (!Number.isFinite(ratio)) return NOT_AVAILABLE;
  return `${ratio.toFixed(ratio >= 10 ? 1 : 2)}×`;
}

/** A relative change such as `+4.2%` or `-31.0%`. */
export function formatChange(change: number): string {
  if (!Number.isFinite(change)) return NOT_AVAILABLE;
  const percent = (change * 100).toFixed(1);
  return change >= 0 ? `+${percent}%` : `${percent}%`;
}

/** Spread of repetitions around their median: half their range relative to the median, as `±x.x%`. */
export function formatSpread(runs: readonly number[], median: number): string {
  if (runs.length < 2 || !(median > 0)) return NOT_AVAILABLE;
  const spread = (Math.max(...runs) - Math.min(...runs)) / median;
  return `±${((spread / 2) * 100).toFixed(1)}%`;
}
