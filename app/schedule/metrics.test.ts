import { describe, expect, it } from 'vitest';
import { createSchedulerMetrics } from './metrics.js';

describe('scheduler metrics', () => {
  it('serves runs, records, lag and errors in the Prometheus text format', async () => {
    const metrics = createSchedulerMetrics();
    metrics.recordTick({ tickAt: new Date(), catchUp: false, status: 'succeeded', runId: 1 });
    metrics.recordTick({ tickAt: new Date(), catchUp: false, status: 'failed', error: 'boom' });
    metrics.recordRun({
      runId: 1,
      steps: [],
      extracted: [{ connector: 'population', stream: 'citizens', topic: 't', read: 12, produced: 10, tombstones: 1, deadLettered: 1, retries: 0, transactions: 1, seconds: 1 }],
      loaded: [{ pipeline: 'population', consumed: 11, loaded: 9, updated: 1, deleted: 0, unchanged: 0, rejected: 1, skipped: 0, seconds: 1, lag: 4 }],
      reconciliation: null,
    });
    const url = await metrics.listen(0);
    try {
      const text = await (await fetch(url)).text();
      expect(text).toContain('lgsp_runs_total{status="succeeded"} 1');
      expect(text).toContain('lgsp_runs_total{status="failed"} 1');
      expect(text).toContain('lgsp_run_errors_total 1');
      expect(text).toContain('lgsp_records_total{stage="extract",name="population.citizens",outcome="produced"} 11');
      expect(text).toContain('lgsp_records_total{stage="extract",name="population.citizens",outcome="dead-lettered"} 1');
      expect(text).toContain('lgsp_records_total{stage="load",name="population",outcome="loaded"} 10');
      expect(text).toContain('lgsp_records_total{stage="load",name="population",outcome="rejected"} 1');
      expect(text).toContain('lgsp_pipeline_lag{pipeline="population"} 4');
      expect(text).toMatch(/lgsp_last_success_timestamp_seconds \d+/);
      expect((await fetch(url.replace('/metrics', '/other'))).status).toBe(404);
    } finally {
      await metrics.close();
    }
  });
});
