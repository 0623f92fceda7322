import type { Target, TargetResult } from '../harness/types.js';
import { formatMs, formatOps, formatRatio, NOT_AVAILABLE, significant } from './format-number.js';

/** The condition a target sets, e.g. `store append / raw put ≥ 0.80×`. */
export function describeTarget(target: Target): string {
  switch (target.kind) {
    case 'ratio':
      return `${target.subject} / ${target.baseline} ≥ ${formatRatio(target.min)}`;
    case 'opsPerSec':
      return `${target.subject} ≥ ${formatOps(target.min)} ops/s`;
    case 'latency':
      return `${target.subject} p${target.percentile} ≤ ${formatMs(target.maxMs)} ms`;
    case 'extra': {
      const { min, max } = target;
      const range =
        min !== undefined && max !== undefined
          ? `in [${significant(min)}, ${significant(max)}]`
          : min !== undefined
            ? `≥ ${significant(min)}`
            : `≤ ${significant(max as number)}`;
      return `${target.subject} ${target.key} ${range}`;
    }
  }
}

/** The measured figure of a target in the target's unit, e.g. `0.93×` or `612k ops/s`. */
export function formatTargetActual(target: TargetResult): string {
  if (!Number.isFinite(target.actual)) return NOT_AVAILABLE;
  switch (target.kind) {
    case 'ratio':
      return formatRatio(target.actual);
    case 'opsPerSec':
      return `${formatOps(target.actual)} ops/s`;
    case 'latency':
      return `${formatMs(target.actual)} ms`;
    case 'extra':
      return significant(target.actual);
  }
}
