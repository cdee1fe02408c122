import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { NightlyRunResult } from '../batch/nightly-run.js';
import type { TickOutcome } from './scheduler.js';

/** Prometheus metrics of the scheduler: runs by outcome, records moved, lag, errors, last success. */
export interface SchedulerMetrics {
  readonly registry: Registry;
  recordTick(outcome: TickOutcome): void;
  recordRun(result: NightlyRunResult): void;
  /** Serves `/metrics` on 127.0.0.1 (or `host`); returns the URL. */
  listen(port: number, host?: string): Promise<string>;
  close(): Promise<void>;
}

export function createSchedulerMetrics(): SchedulerMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'lgsp_process_' });
  const runs = new Counter({ name: 'lgsp_runs_total', help: 'Scheduled runs by outcome', labelNames: ['status'], registers: [registry] });
  const errors = new Counter({ name: 'lgsp_run_errors_total', help: 'Scheduled runs that failed', registers: [registry] });
  const records = new Counter({
    name: 'lgsp_records_total',
    help: 'Records moved by runs, by stage and what happened to them',
    labelNames: ['stage', 'name', 'outcome'],
    registers: [registry],
  });
  const lag = new Gauge({ name: 'lgsp_pipeline_lag', help: 'Offsets left to load at the end of the last run, by pipeline', labelNames: ['pipeline'], registers: [registry] });
  const lastSuccess = new Gauge({ name: 'lgsp_last_success_timestamp_seconds', help: 'When the last run succeeded', registers: [registry] });
  let server: http.Server | null = null;

  return {
    registry,
    recordTick(outcome) {
      runs.inc({ status: outcome.status });
      if (outcome.status === 'failed') errors.inc();
      if (outcome.status === 'succeeded') lastSuccess.set(Date.now() / 1000);
    },
    recordRun(result) {
      for (const s of result.extracted) {
        const name = `${s.connector}.${s.stream}`;
        records.inc({ stage: 'extract', name, outcome: 'produced' }, s.produced + s.tombstones);
        records.inc({ stage: 'extract', name, outcome: 'dead-lettered' }, s.deadLettered);
      }
      for (const l of result.loaded) {
        records.inc({ stage: 'load', name: l.pipeline, outcome: 'loaded' }, l.loaded + l.updated + l.deleted);
        records.inc({ stage: 'load', name: l.pipeline, outcome: 'rejected' }, l.rejected);
        lag.set({ pipeline: l.pipeline }, l.lag ?? 0);
      }
    },
    async listen(port, host = '127.0.0.1') {
      server = http.createServer((req, res) => {
        if (req.url !== '/metrics') {
          res.writeHead(404).end();
          return;
        }
        registry
          .metrics()
          .then((text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text))
          .catch(() => res.writeHead(500).end());
      });
      await new Promise<void>((resolve, reject) => {
        server?.once('error', reject);
        server?.listen(port, host, resolve);
      });
      return `http://${host}:${(server.address() as AddressInfo).port}/metrics`;
    },
    async close() {
      await new Promise<void>((resolve) => (server === null ? resolve() : server.close(() => resolve())));
    },
  };
}
