import { statSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld } from '../../simulator/world/index.js';
import { indicatorsVsTargetsTable } from '../../app/report/indicators-vs-targets.js';
import { startCli } from '../harness/cli.js';
import { findChromium } from '../harness/chromium.js';
import { useDeployment } from '../harness/deployment.js';
import { loadWorld } from '../harness/world-warehouse.js';

// The test's screenshot goes to an ignored folder, so a test run leaves the tree clean; set
// LGSP_UPDATE_SCREENSHOT=1 to refresh the one committed in docs/.
const SCREENSHOT = path.resolve(process.env['LGSP_UPDATE_SCREENSHOT'] === '1' ? 'docs/report-screenshot.png' : 'test-results/report-screenshot.png');

describe('lgsp report: a self-contained HTML report, rendered in headless Chromium', () => {
  const t = useDeployment();
  let dir: string;
  let browser: Browser;

  beforeAll(async () => {
    await loadWorld(t, createWorld({ seed: 21, scale: 0.002 }));
    dir = await mkdtemp(path.join(os.tmpdir(), 'lgsp-report-'));
    // An installed Chromium or Chrome, else the npm-shipped one (LGSP_CHROMIUM=npm forces it); none fails, saying how to get one.
    const found = await findChromium();
    browser = await chromium.launch({ executablePath: found.executablePath, args: [...found.args], env: { ...process.env, ...found.env } });
  });

  afterAll(async () => {
    await browser?.close();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it('writes one HTML file that loads nothing from outside and shows every indicator chart and the missed re-use table', async () => {
    const out = path.join(dir, 'report.html');
    const result = await startCli(['report', '--out', out], t.cliEnv()).done;
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(out);
    const html = await readFile(out, 'utf8');
    expect(html).not.toMatch(/<script|<link|https?:\/\/(?!www\.w3\.org\/2000\/svg)/i);

    const page = await browser.newPage({ viewport: { width: 1400, height: 900 }, deviceScaleFactor: 1 });
    const outside: string[] = [];
    page.on('request', (r) => {
      if (r.url() !== `file://${out}`) outside.push(r.url());
    });
    await page.goto(`file://${out}`);
    expect(await page.title()).toContain('indicators');
    expect(await page.locator('svg.chart').count()).toBe(11);
    expect(await page.locator('svg.chart rect.bar').count()).toBeGreaterThan(50);
    expect(await page.locator('svg.chart line.target').count()).toBeGreaterThan(10);
    const missedRows = await page.locator('table tbody tr').count();
    expect(missedRows).toBeGreaterThan(5);
    expect(outside).toEqual([]);
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(statSync(SCREENSHOT).size).toBeGreaterThan(10_000);
    await page.close();
  });

  it('indicatorsVsTargetsTable: the latest year\'s measurable targets with their values, for the demo', async () => {
    const rows = await indicatorsVsTargetsTable(await t.db());
    expect(rows.length).toBeGreaterThan(5);
    expect(new Set(rows.map((r) => r.year)).size).toBe(1);
    expect(rows.find((r) => r.indicator === 'plan_reuse')).toMatchObject({ level: 'all', target: '>= 80.0%' });
    expect(rows.every((r) => r.status !== 'no data' || r.value === '-')).toBe(true);
  });
});
