/**
 * The report as one self-contained HTML file: inline CSS and SVG, no script, nothing fetched.
 * Each indicator against its target by year and level, then the top missed re-use opportunities.
 */
import type { IndicatorPoint, ReportData, TargetRow } from './report-data.js';
import { barChartSvg, escapeHtml, type ChartSpec } from './svg-chart.js';

interface IndicatorInfo {
  readonly key: string;
  readonly title: string;
  readonly what: string;
  readonly lowerIsBetter?: boolean;
}

const INDICATORS: readonly IndicatorInfo[] = [
  { key: 'plan_reuse', title: 'Documents not re-supplied (plan re-use)', what: 'Of dossiers needing a document the state already held, the share in which the applicant handed in none of them — computed by the warehouse from the national data.' },
  { key: 'reuse_766', title: 'Re-use of digitised data (766 · 4.3)', what: 'Dossiers with at least one component flagged re-used, as the one-stop system reports it.' },
  { key: 'result_digitisation', title: 'Valid results digitised', what: 'Finished dossiers with a document result whose result was digitised.' },
  { key: 'dossier_digitisation', title: 'Digitisation of dossiers (766 · 4.2)', what: 'Decided dossiers with every component digitised and an electronic result where one was issued.' },
  { key: 'electronic_results', title: 'Electronic results (766 · 4.1)', what: 'Finished dossiers with a document result that has an electronic file.' },
  { key: 'online', title: 'Dossiers received online (766 · 3.3)', what: 'Dossiers submitted online, of all received.' },
  { key: 'on_time', title: 'On time (766 · 2.1)', what: 'Decided or in progress at the year end, within the appointment (extra-document days not counted; more than one request is overdue).' },
  { key: 'online_payment', title: 'Online payment (766 · 3.6)', what: 'Fee-bearing dossiers paid online.' },
  { key: 'satisfaction', title: 'Satisfaction (766 · 5.4)', what: '100% − (overdue rate + complaint or dislike rate).' },
  { key: 'counter_wait', title: 'Average wait at the counter', what: 'Minutes per visit at a one-stop counter.', lowerIsBetter: true },
  { key: 'dossiers_per_staff', title: 'Dossiers per one-stop staff per year', what: 'Dossiers received per staff-year (partial years pro rata).' },
];

const SERIES = [
  { key: 'all', label: 'All levels', colour: '#2563eb' },
  { key: 'province', label: 'Province', colour: '#0d9488' },
  { key: 'district', label: 'District', colour: '#f59e0b' },
  { key: 'commune', label: 'Commune', colour: '#a855f7' },
] as const;

const fmt = (v: number | null, unit: string): string => (v === null ? '–' : unit === '%' ? `${v.toFixed(1)}%` : unit === 'minutes' ? `${v.toFixed(1)} min` : v.toFixed(0));

function chartFor(info: IndicatorInfo, points: readonly IndicatorPoint[], targets: readonly TargetRow[]): string {
  const mine = points.filter((p) => p.indicator === info.key);
  const unit = mine[0]?.unit ?? targets.find((t) => t.indicator === info.key)?.unit ?? '%';
  const years = [...new Set(mine.map((p) => p.year))].sort();
  const series = SERIES.filter((s) => mine.some((p) => p.level === s.key && p.value !== null));
  const target = (year: number, level: string): number | null => targets.find((t) => t.indicator === info.key && t.year === year && t.level === level)?.targetValue ?? null;
  const spec: ChartSpec = {
    title: info.title,
    unit,
    groups: years.map(String),
    series,
    bars: years.flatMap((year) => series.map((s) => ({ group: String(year), series: s.key, value: mine.find((p) => p.year === year && p.level === s.key)?.value ?? null, target: target(year, s.key) }))),
    ...(info.lowerIsBetter === true ? { lowerIsBetter: true } : {}),
  };
  const mineTargets = targets.filter((t) => t.indicator === info.key && t.measurable);
  const latest = mineTargets.filter((t) => t.year === Math.max(...mineTargets.map((x) => x.year)));
  const badges = latest
    .map((t) => `<span class="badge ${t.met === true ? 'ok' : t.met === false ? 'bad' : 'na'}">${escapeHtml(`${t.year} ${t.level}: ${fmt(t.value, t.unit)} vs ${t.comparison} ${fmt(t.targetValue, t.unit)}`)}</span>`)
    .join(' ');
  return `<section class="card"><h3>${escapeHtml(info.title)}</h3><p class="what">${escapeHtml(info.what)}</p>${barChartSvg(spec)}
<div class="legend">${series.map((s) => `<span><i style="background:${s.colour}"></i>${escapeHtml(s.label)}</span>`).join('')}${mineTargets.length > 0 ? '<span><i class="tick"></i>Target</span>' : ''}</div>
<div class="badges">${badges || '<span class="badge na">no plan target</span>'}</div></section>`;
}

const CSS = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#111827;background:#f3f4f6;margin:0}
header{background:#1e3a8a;color:#fff;padding:22px 32px}header h1{margin:0 0 4px;font-size:22px}header p{margin:0;opacity:.85}
main{padding:20px 32px;max-width:1480px}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(480px,1fr));gap:16px}
.card{background:#fff;border-radius:10px;padding:14px 16px;box-shadow:0 1px 2px rgba(0,0,0,.08)}
.card h3{margin:0 0 2px;font-size:15px}.what{margin:0 0 8px;color:#6b7280;font-size:12px;min-height:34px}
.legend{display:flex;gap:14px;font-size:12px;color:#374151;margin-top:4px}.legend i{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:5px;vertical-align:-1px}
.legend i.tick{background:#111827;height:3px;width:14px;vertical-align:3px}
.badges{margin-top:8px;display:flex;flex-wrap:wrap;gap:6px}.badge{font-size:12px;padding:2px 8px;border-radius:999px}
.badge.ok{background:#dcfce7;color:#166534}.badge.bad{background:#fee2e2;color:#991b1b}.badge.na{background:#e5e7eb;color:#374151}
h2{font-size:17px;margin:26px 0 10px}
table{border-collapse:collapse;background:#fff;border-radius:10px;overflow:hidden;box-shadow:0 1px 2px rgba(0,0,0,.08);width:100%}
th,td{padding:7px 10px;text-align:left;border-bottom:1px solid #f3f4f6;font-size:13px}th{background:#f9fafb;font-weight:600}td.n{text-align:right;font-variant-numeric:tabular-nums}
.notes{color:#6b7280;font-size:12px;margin-top:18px}
.tiles{display:grid;grid-template-columns:repeat(auto-fill,minmax(210px,1fr));gap:10px}
.tile{background:#fff;border-radius:10px;padding:10px 12px;box-shadow:0 1px 2px rgba(0,0,0,.08);border-left:5px solid #9ca3af}
.tile.ok{border-left-color:#16a34a}.tile.bad{border-left-color:#dc2626}
.tile .t{font-size:12px;color:#374151;min-height:32px}.tile .v{font-size:22px;font-weight:650;margin:2px 0}.tile .g{font-size:12px;color:#6b7280}
main>h2:first-child{margin-top:4px}
`;

/** The latest year's measurable targets as a scorecard row of tiles. */
function scorecard(targets: readonly TargetRow[]): string {
  const measured = targets.filter((t) => t.measurable && t.value !== null);
  const year = Math.max(...measured.map((t) => t.year));
  const latest = measured.filter((t) => t.year === year);
  if (latest.length === 0) return '';
  const title = (t: TargetRow): string => `${INDICATORS.find((i) => i.key === t.indicator)?.title ?? t.indicator}${t.level === 'all' ? '' : ` · ${t.level}`}`;
  const tiles = latest
    .map((t) => `<div class="tile ${t.met === true ? 'ok' : 'bad'}"><div class="t">${escapeHtml(title(t))}</div><div class="v">${escapeHtml(fmt(t.value, t.unit))}</div><div class="g">target ${escapeHtml(`${t.comparison === '>=' ? '≥' : '≤'} ${fmt(t.targetValue, t.unit)}`)} · ${t.met === true ? 'met' : 'not met'}</div></div>`)
    .join('');
  return `<h2>${year} at a glance: ${latest.filter((t) => t.met === true).length} of ${latest.length} targets met</h2><div class="tiles">${tiles}</div><h2>Each indicator by year and level</h2>`;
}

export function renderHtmlReport(data: ReportData, generatedAt = new Date()): string {
  const missedRows = data.missed
    .map(
      (m, i) =>
        `<tr><td class="n">${i + 1}</td><td>${escapeHtml(m.procedureCode)} ${escapeHtml(m.procedureName)}</td><td>${escapeHtml(m.agencyName || m.agencyCode)}</td><td>${escapeHtml(m.level)}</td><td class="n">${m.missedComponents}</td><td class="n">${m.dossiersWithMissed}</td><td class="n">${m.heldDossiers}</td><td class="n">${fmt(m.reuse766Pct, '%')}</td><td class="n">${fmt(m.planReusePct, '%')}</td></tr>`,
    )
    .join('\n');
  const unmeasurable = [...new Map(data.targets.filter((t) => !t.measurable).map((t) => [t.indicator, t])).values()];
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>LGSP indicators against the plan's targets</title><style>${CSS}</style></head>
<body><header><h1>Administrative reform: indicators against the plan's targets</h1>
<p>Trà Vinh LGSP shared data warehouse · data up to ${escapeHtml(data.asOf)} · generated ${escapeHtml(generatedAt.toISOString().slice(0, 16).replace('T', ' '))} UTC</p></header>
<main>${scorecard(data.targets)}<div class="grid">
${INDICATORS.map((info) => chartFor(info, data.points, data.targets)).join('\n')}
</div>
<h2>Top missed re-use opportunities (documents the state held, handed in again)</h2>
<table><thead><tr><th>#</th><th>Procedure</th><th>Agency</th><th>Level</th><th>Missed documents</th><th>Dossiers affected</th><th>Dossiers with held documents</th><th>766 re-use (flags)</th><th>Plan re-use (warehouse)</th></tr></thead>
<tbody>${missedRows || '<tr><td colspan="9">No missed re-use.</td></tr>'}</tbody></table>
<p class="notes">Sources: mart.indicator_long, mart.indicator_vs_target, mart.missed_reuse. Targets: plan 2021-2025 (Decision 384/QĐ-UBND) and Decision 766 full marks.
Not measurable from the data: ${unmeasurable.map((t) => escapeHtml(t.sourceNote)).join(' ')}</p>
</main></body></html>
`;
}
