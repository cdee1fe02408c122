import type { Admin } from 'kafkajs';
import type pg from 'pg';
import { endOffsets } from '../kafka/read-to-end.js';
import type { Logger } from '../logger.js';
import { TopicRecreatedError } from './errors.js';
import { storedOffsets } from './offsets.js';

/** Each input partition's range when the load started: it loads up to `high` and stops. */
export type EndOffsets = ReadonlyMap<string, ReadonlyMap<number, { readonly low: bigint; readonly high: bigint }>>;

/** The end offsets of the topics that exist; a missing topic (its connector never ran) is left out, with a warning. */
export async function takeEndOffsets(admin: Admin, topics: readonly string[], logger: Logger): Promise<EndOffsets> {
  const existing = new Set(await admin.listTopics());
  const ends = new Map<string, Map<number, { low: bigint; high: bigint }>>();
  for (const topic of topics) {
    if (!existing.has(topic)) {
      logger.warn({ topic }, 'topic does not exist yet: nothing to load from it (run the connector first)');
      continue;
    }
    const partitions = new Map<number, { low: bigint; high: bigint }>();
    for (const p of await endOffsets(admin, topic)) partitions.set(p.partition, { low: BigInt(p.low), high: BigInt(p.high) });
    ends.set(topic, partitions);
  }
  return ends;
}

/** Offsets still to load: the end offsets taken at the start minus the stored offsets (0 = done). */
export async function remaining(client: pg.Pool, pipeline: string, ends: EndOffsets): Promise<number> {
  const stored = await storedOffsets(client, pipeline, [...ends.keys()]);
  let lag = 0n;
  for (const [topic, partitions] of ends) {
    for (const [partition, { low, high }] of partitions) {
      if (high <= low) continue;
      const next = stored.get(topic)?.get(partition) ?? low;
      if (next < high) lag += high - (next > low ? next : low);
    }
  }
  return Number(lag);
}

/**
 * A topic whose partition ends below the offset stored for it is not the topic that offset was
 * stored for: it was deleted and created again, or the broker's data replaced. Loading on from the
 * stored offsets would skip every record below them — and, as the lag looks like 0, silently.
 */
export async function requireSameTopics(client: pg.Pool, pipeline: string, ends: EndOffsets): Promise<void> {
  const stored = await storedOffsets(client, pipeline, [...ends.keys()]);
  for (const [topic, partitions] of ends) {
    for (const [partition, { high }] of partitions) {
      const next = stored.get(topic)?.get(partition);
      if (next !== undefined && next > high) {
        throw new TopicRecreatedError(pipeline, topic, partition, `it ends at offset ${high}, below the offset ${next} stored for it`);
      }
    }
    const missing = [...(stored.get(topic)?.keys() ?? [])].filter((p) => !partitions.has(p));
    if (missing.length > 0) throw new TopicRecreatedError(pipeline, topic, missing[0] ?? -1, `the topic has ${partitions.size} partitions, and none numbered ${missing.join(', ')}, where offsets were stored`);
  }
}

/**
 * The pause between two polls of {@link waitForEnd}, cut short by `wake()`: a batch that reached
 * its partition's end offset wakes the poll, so a small load does not wait up to a poll interval
 * after its last commit (a delta night's loads each lost ~0.1–0.25 s there). A wake while no
 * pause runs makes the next pause return at once.
 */
export interface EndWakeup {
  wake(): void;
  pause(ms: number): Promise<void>;
}

export function endWakeup(): EndWakeup {
  let woken = false;
  let cut: (() => void) | undefined;
  return {
    wake: () => {
      woken = true;
      cut?.();
    },
    pause: (ms) =>
      new Promise<void>((resolve) => {
        const done = (): void => {
          clearTimeout(timer);
          cut = undefined;
          woken = false;
          resolve();
        };
        const timer = setTimeout(done, woken ? 0 : ms);
        cut = done;
      }),
  };
}

/** Polls the stored offsets until they reach the end offsets (or the signal stops the load). */
export async function waitForEnd(
  client: pg.Pool,
  pipeline: string,
  ends: EndOffsets,
  options: { readonly pollMs: number; readonly onLag: (lag: number) => void; readonly signal?: AbortSignal | undefined; readonly wakeup?: EndWakeup },
): Promise<void> {
  const wakeup = options.wakeup ?? endWakeup();
  for (;;) {
    if (options.signal?.aborted === true) return;
    const lag = await remaining(client, pipeline, ends);
    options.onLag(lag);
    if (lag === 0) return;
    await wakeup.pause(options.pollMs);
  }
}

/** The end offsets as `low..high` per partition, for the log. */
export function describeEnds(ends: EndOffsets): Record<string, Record<number, string>> {
  return Object.fromEntries([...ends].map(([t, ps]) => [t, Object.fromEntries([...ps].map(([p, o]) => [p, `${o.low}..${o.high}`]))]));
}
