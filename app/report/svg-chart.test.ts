import { describe, expect, it } from 'vitest';
import { barChartSvg } from './svg-chart.js';

describe('barChartSvg', () => {
  const spec = {
    title: 'Re-use <4.3>',
    unit: '%',
    groups: ['2024', '2025'],
    series: [
      { key: 'all', label: 'All', colour: '#000' },
      { key: 'commune', label: 'Commune', colour: '#111' },
    ],
    bars: [
      { group: '2024', series: 'all', value: 40, target: 80 },
      { group: '2024', series: 'commune', value: null, target: null },
      { group: '2025', series: 'all', value: 120, target: 80 },
      { group: '2025', series: 'commune', value: 10, target: null },
    ],
  };

  it('draws one bar per value and one tick per target, and escapes text', () => {
    const svg = barChartSvg(spec);
    expect(svg.match(/<rect class="bar"/g)).toHaveLength(3);
    expect(svg.match(/<line class="target"/g)).toHaveLength(2);
    expect(svg).toContain('aria-label="Re-use &lt;4.3&gt;"');
    expect(svg).not.toContain('<4.3>');
  });

  it('keeps bars inside the plot: percentages are capped at 100', () => {
    const svg = barChartSvg(spec);
    const ys = [...svg.matchAll(/<rect class="bar" x="[\d.]+" y="([\d.-]+)"/g)].map((m) => Number(m[1]));
    expect(Math.min(...ys)).toBeGreaterThanOrEqual(16);
  });
});
