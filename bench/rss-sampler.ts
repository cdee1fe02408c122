/**
 * Where a run's memory peaks: samples this process's RSS every 200 ms and keeps the highest
 * sample with what made it up (V8 heap in use, buffers outside the heap) and when it came, so a
 * peak can be set against the run's steps.
 */
export interface RssPeak {
  readonly rssMiB: number;
  readonly heapUsedMiB: number;
  readonly arrayBuffersMiB: number;
  /** Seconds after the sampler started. */
  readonly atSeconds: number;
}

export function startRssSampler(): { stop(): RssPeak } {
  const started = performance.now();
  const mib = (bytes: number): number => Math.round(bytes / 1048576);
  let peak: RssPeak = { rssMiB: 0, heapUsedMiB: 0, arrayBuffersMiB: 0, atSeconds: 0 };
  const sample = (): void => {
    const m = process.memoryUsage();
    if (mib(m.rss) > peak.rssMiB) {
      peak = { rssMiB: mib(m.rss), heapUsedMiB: mib(m.heapUsed), arrayBuffersMiB: mib(m.arrayBuffers), atSeconds: Math.round((performance.now() - started) / 100) / 10 };
    }
  };
  const timer = setInterval(sample, 200);
  timer.unref();
  return {
    stop: () => {
      clearInterval(timer);
      sample();
      return peak;
    },
  };
}
