import type { SuiteResult } from '../harness/types.js';
import { formatOps } from '../format/format-number.js';
import { escapeXml } from './escape.js';

const WIDTH = 760;
const LABEL_WIDTH = 230;
const BAR_X = 240;
const BAR_AREA = 400;
const TOP = 64;
const ROW = 26;
const BAR_HEIGHT = 18;
const AXIS_SPACE = 34;
const MAX_LABEL_CHARS = 32;
const FONT = "system-ui, -apple-system, 'Segoe UI', Helvetica, Arial, sans-serif";
const COLORS = { baseline: '#8c96a3', subject: '#2563eb', text: '#1f2933', grid: '#e4e7eb' } as const;

/**
 * A horizontal bar chart of a suite's median ops/s per case, baselines grey and subjects blue,
 * on a linear axis from zero (so bar lengths compare honestly), as a standalone SVG document
 * with its own white background so it reads in light and dark themes alike.
 */
export function renderBarChart(result: Pick<SuiteResult, 'title' | 'cases' | 'quick'>): string {
  const rows = result.cases;
  const largest = Math.max(0, ...rows.map((row) => (Number.isFinite(row.opsPerSec) ? row.opsPerSec : 0)));
  const { step, max } = axisScale(largest);
  const height = TOP + rows.length * ROW + AXIS_SPACE;
  const x = (value: number): number => round1(BAR_X + (value / max) * BAR_AREA);
  const gridBottom = TOP + rows.length * ROW;
  const title = `${result.title}: operations per second${result.quick ? ' (quick run)' : ''}`;

  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-labelledby="title">`,
    `<title id="title">${escapeXml(title)}</title>`,
    `<rect width="${WIDTH}" height="${height}" fill="#ffffff"/>`,
    `<g font-family="${escapeXml(FONT)}" font-size="12" fill="${COLORS.text}">`,
    `<text x="12" y="24" font-size="14" font-weight="600">${escapeXml(title)}</text>`,
    legendItem(12, 'baseline', COLORS.baseline),
    legendItem(102, 'subject (Strata)', COLORS.subject),
  ];
  const ticks = Math.round(max / step);
  for (let index = 0; index <= ticks; index++) {
    const tick = index * step;
    parts.push(
      `<line x1="${x(tick)}" y1="${TOP - 6}" x2="${x(tick)}" y2="${gridBottom}" stroke="${COLORS.grid}"/>`,
      `<text x="${x(tick)}" y="${gridBottom + 16}" text-anchor="middle">${formatOps(tick)}</text>`,
    );
  }
  rows.forEach((row, index) => {
    const y = TOP + index * ROW;
    const value = Number.isFinite(row.opsPerSec) ? row.opsPerSec : 0;
    const barEnd = x(value);
    parts.push(
      `<text x="${LABEL_WIDTH}" y="${y + 13}" text-anchor="end">${escapeXml(truncate(row.name))}</text>`,
      `<rect x="${BAR_X}" y="${y}" width="${round1(barEnd - BAR_X)}" height="${BAR_HEIGHT}" fill="${COLORS[row.role]}">` +
        `<title>${escapeXml(`${row.name} (${row.role}): ${formatOps(row.opsPerSec)} ops/s`)}</title></rect>`,
      `<text x="${round1(barEnd + 6)}" y="${y + 13}">${formatOps(row.opsPerSec)}</text>`,
    );
  });
  parts.push('</g>', '</svg>', '');
  return parts.join('\n');
}

/**
 * A step of 1, 2 or 5 × 10^k giving about four grid lines, and the axis end: the first multiple
 * of the step at or above the largest value.
 */
export function axisScale(largest: number): { step: number; max: number } {
  if (!(largest > 0)) return { step: 1, max: 1 };
  const rough = largest / 4;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = ([1, 2, 5, 10].map((factor) => factor * power).find((candidate) => candidate >= rough) ?? 10 * power) as number;
  return { step, max: Math.ceil(largest / step) * step };
}

function legendItem(x: number, label: string, color: string): string {
  return `<rect x="${x}" y="36" width="12" height="12" fill="${color}"/><text x="${x + 18}" y="46">${escapeXml(label)}</text>`;
}

function truncate(name: string): string {
  return name.length <= MAX_LABEL_CHARS ? name : `${name.slice(0, MAX_LABEL_CHARS - 1)}…`;
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}
