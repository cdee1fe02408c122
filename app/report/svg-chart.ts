/**
 * Inline SVG bar charts for the HTML report: one chart per indicator, years on the x axis, one bar
 * per level, the plan's target drawn as a dark tick over the bar it applies to. Pure: data in, markup out.
 */

export interface ChartBar {
  readonly group: string;
  readonly series: string;
  readonly value: number | null;
  readonly target: number | null;
}

export interface ChartSpec {
  readonly title: string;
  readonly unit: string;
  readonly groups: readonly string[];
  readonly series: readonly { readonly key: string; readonly label: string; readonly colour: string }[];
  readonly bars: readonly ChartBar[];
  /** Lower is better (counter wait): the target is a ceiling. */
  readonly lowerIsBetter?: boolean;
}

export const escapeHtml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const W = 460;
const H = 240;
const PAD = { left: 44, right: 10, top: 16, bottom: 30 };

function niceMax(max: number, unit: string): number {
  if (unit === '%') return 100;
  if (max <= 0) return 1;
  const step = 10 ** Math.floor(Math.log10(max));
  return Math.ceil((max * 1.1) / step) * step;
}

const fmt = (v: number, unit: string): string => (unit === '%' ? `${v.toFixed(1)}%` : v >= 100 ? v.toFixed(0) : v.toFixed(1));

export function barChartSvg(spec: ChartSpec): string {
  const values = spec.bars.flatMap((b) => [b.value ?? 0, b.target ?? 0]);
  const max = niceMax(Math.max(0, ...values), spec.unit);
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const y = (v: number): number => PAD.top + plotH - (Math.min(v, max) / max) * plotH;
  const groupW = plotW / Math.max(1, spec.groups.length);
  const barW = Math.min(18, (groupW - 10) / Math.max(1, spec.series.length));
  const parts: string[] = [];
  for (let i = 0; i <= 4; i++) {
    const v = (max * i) / 4;
    parts.push(`<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="#e5e7eb"/>`);
    parts.push(`<text x="${PAD.left - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end" font-size="10" fill="#6b7280">${escapeHtml(fmt(v, spec.unit))}</text>`);
  }
  spec.groups.forEach((group, gi) => {
    const gx = PAD.left + gi * groupW + (groupW - barW * spec.series.length) / 2;
    parts.push(`<text x="${(PAD.left + gi * groupW + groupW / 2).toFixed(1)}" y="${H - 10}" text-anchor="middle" font-size="11" fill="#374151">${escapeHtml(group)}</text>`);
    spec.series.forEach((s, si) => {
      const bar = spec.bars.find((b) => b.group === group && b.series === s.key);
      const x = gx + si * barW;
      if (bar?.value !== null && bar?.value !== undefined) {
        const top = y(bar.value);
        parts.push(
          `<rect class="bar" x="${x.toFixed(1)}" y="${top.toFixed(1)}" width="${(barW - 2).toFixed(1)}" height="${(PAD.top + plotH - top).toFixed(1)}" rx="2" fill="${s.colour}"><title>${escapeHtml(`${s.label} ${group}: ${fmt(bar.value, spec.unit)}${bar.target === null ? '' : ` (target ${spec.lowerIsBetter === true ? '≤' : '≥'} ${fmt(bar.target, spec.unit)})`}`)}</title></rect>`,
        );
      }
      if (bar?.target !== null && bar?.target !== undefined) {
        const ty = y(bar.target);
        parts.push(`<line class="target" x1="${(x - 2).toFixed(1)}" x2="${(x + barW).toFixed(1)}" y1="${ty.toFixed(1)}" y2="${ty.toFixed(1)}" stroke="#111827" stroke-width="2.5"/>`);
      }
    });
  });
  parts.push(`<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${PAD.top + plotH}" y2="${PAD.top + plotH}" stroke="#9ca3af"/>`);
  return `<svg class="chart" role="img" aria-label="${escapeHtml(spec.title)}" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" xmlns="http://www.w3.org/2000/svg">${parts.join('')}</svg>`;
}
