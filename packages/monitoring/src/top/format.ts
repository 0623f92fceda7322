/** Number formatting for the terminal view: short, fixed-width friendly, unit-aware. */

function trim(value: number, digits: number): string {
  const text = value.toFixed(digits);
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}

function significant(value: number): string {
  const a = Math.abs(value);
  return a >= 100 ? trim(value, 0) : a >= 10 ? trim(value, 1) : trim(value, 2);
}

/** `12.3k`, `4.5M`; `–` for a missing value. */
export function formatNumber(value: number | null | undefined): string {
  if (typeof value !== 'number' || !Number.isFinite(value)) return '–';
  const a = Math.abs(value);
  if (a >= 1e9) return `${significant(value / 1e9)}G`;
  if (a >= 1e6) return `${significant(value / 1e6)}M`;
  if (a >= 1e4) return `${significant(value / 1e3)}k`;
  return a >= 100 ? trim(value, 0) : significant(value);
}

/** A duration given in ms, in the unit that reads best: `850µs`, `12.3ms`, `1.25s`. */
export function formatMs(value: number | null | undefined): string {
  if (typeof value !== 'number' || !Number.isFinite(value)) return '–';
  if (value === 0) return '0';
  if (value < 0.001) return `${significant(value * 1e6)}ns`;
  if (value < 1) return `${significant(value * 1000)}µs`;
  if (value < 1000) return `${significant(value)}ms`;
  return `${significant(value / 1000)}s`;
}

/** A ratio (0-1) as a percentage. */
export function formatRatio(value: number | null | undefined): string {
  return typeof value === 'number' && Number.isFinite(value) ? `${significant(value * 100)}%` : '–';
}

/** Bytes in binary units. */
export function formatBytes(value: number | null | undefined): string {
  if (typeof value !== 'number' || !Number.isFinite(value)) return '–';
  if (value >= 1024 ** 3) return `${significant(value / 1024 ** 3)}GiB`;
  if (value >= 1024 ** 2) return `${significant(value / 1024 ** 2)}MiB`;
  if (value >= 1024) return `${significant(value / 1024)}KiB`;
  return `${trim(value, 0)}B`;
}

/** `45s`, `3m 05s`, `2h 10m`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '–';
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, '0')}s`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h}h ${String(m % 60).padStart(2, '0')}m`;
  return `${Math.floor(h / 24)}d ${h % 24}h`;
}

const SPARKS = '▁▂▃▄▅▆▇█';

/** A one-line chart of the last `width` values. */
export function sparkline(values: readonly number[], width: number): string {
  const recent = values.slice(-width);
  const max = Math.max(0, ...recent);
  return recent.map((v) => (max <= 0 ? SPARKS[0] : SPARKS[Math.min(7, Math.floor((v / max) * 7.999))])).join('');
}
