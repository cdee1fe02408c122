import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type pg from 'pg';
import { refreshMart } from '../../warehouse/mart/refresh.js';
import { renderHtmlReport } from './html-report.js';
import { readReportData } from './report-data.js';

export interface WriteReportOptions {
  readonly out: string;
  /** Refresh the mart's materialised views first (needs the owner's rights). */
  readonly refresh: boolean;
}

/** Writes the self-contained HTML report to `out`; returns its absolute path and size. */
export async function writeReport(db: pg.ClientBase, options: WriteReportOptions): Promise<{ path: string; bytes: number }> {
  if (options.refresh) await refreshMart(db);
  const html = renderHtmlReport(await readReportData(db));
  const file = path.resolve(options.out);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, html, 'utf8');
  return { path: file, bytes: Buffer.byteLength(html) };
}
