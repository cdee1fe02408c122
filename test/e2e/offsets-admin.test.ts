import { describe, expect, it } from 'vitest';
import { extract } from '../../app/batch/extract.js';
import { load } from '../../app/batch/load.js';
import { resetOffsets, showOffsets } from '../../app/admin/offsets-admin.js';
import { consumerGroupId } from '../../src/sink/pipeline-runner.js';
import { useDeployment } from '../harness/deployment.js';
import { tableFingerprint } from '../harness/fingerprint.js';

describe('lgsp offsets show|reset', () => {
  const t = useDeployment({ world: { seed: 3, scale: 0.001 } });
  const citizens = async (): Promise<unknown> => tableFingerprint(await t.db(), 'core.citizen', 'personal_id');

  it('shows the stored offsets at the end of every partition after a load', async () => {
    await extract(t.runtime, ['population'], { overrides: t.overrides });
    await load(t.runtime, ['population']);
    const rows = await showOffsets(t.runtime, 'population');
    expect(rows).toHaveLength(t.settings.LGSP_TOPIC_PARTITIONS);
    for (const r of rows) {
      expect(r.stored).toBe(r.high);
      expect(r.lag).toBe(0);
    }
  });

  it('resets to earliest; the reload consumes everything again and changes no row', async () => {
    const { runtime } = t;
    const before = await citizens();
    const rows = await resetOffsets(runtime, 'population', { to: 'earliest' });
    expect(rows.every((r) => r.stored === r.low)).toBe(true);
    const total = rows.reduce((n, r) => n + r.lag, 0);
    expect(total).toBeGreaterThan(0);

    const [figures] = await load(runtime, ['population']);
    expect(figures?.consumed).toBeGreaterThan(0);
    expect(figures?.loaded).toBe(0);
    expect(figures?.updated).toBe(0);
    expect(await citizens()).toEqual(before);
  });

  it('refuses while the pipeline has a consumer in its group, naming why', async () => {
    const { runtime } = t;
    const consumer = runtime.kafka.consumer({ groupId: consumerGroupId(runtime.naming, 'population') });
    await consumer.connect();
    await consumer.subscribe({ topic: `${t.settings.LGSP_TOPIC_PREFIX}lgsp.raw.population.citizen.v1` });
    await consumer.run({ eachMessage: () => Promise.resolve() });
    try {
      // Wait until the member has joined the group.
      for (let i = 0; i < 50; i += 1) {
        const { groups } = await (async () => {
          const admin = runtime.kafka.admin();
          await admin.connect();
          try {
            return await admin.describeGroups([consumerGroupId(runtime.naming, 'population')]);
          } finally {
            await admin.disconnect();
          }
        })();
        if ((groups[0]?.members.length ?? 0) > 0) break;
        await new Promise((r) => setTimeout(r, 200));
      }
      await expect(resetOffsets(runtime, 'population', { to: 'latest' })).rejects.toMatchObject({
        code: 'PIPELINE_RUNNING',
        message: expect.stringMatching(/^refusing to move the offsets of pipeline population: its consumer group .* has 1 member\(s\)$/) as unknown,
      });
    } finally {
      await consumer.disconnect();
    }
  });
});
