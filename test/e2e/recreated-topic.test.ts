import { describe, expect, it } from 'vitest';
import { resetOffsets } from '../../app/admin/offsets-admin.js';
import { extract } from '../../app/batch/extract.js';
import { load } from '../../app/batch/load.js';
import { ensureTopics, rawTopic } from '../../src/kafka/topics.js';
import { createWorld } from '../../simulator/world/index.js';
import { startCli } from '../harness/cli.js';
import { useDeployment, type TestDeployment } from '../harness/deployment.js';
import { LINEAGE_COLUMNS, tableFingerprint } from '../harness/fingerprint.js';
import { produceRaw, worldMessages } from '../harness/world-messages.js';

const WORLD = { seed: 4, scale: 0.001 } as const;

/**
 * A warehouse kept across a recreated topic (a broker reformatted, a topic deleted and created)
 * keeps offsets that belong to the old topic; loading on from them would skip every record below.
 * The load refuses, naming the fix, whether the new topic ends below the stored offsets or has
 * grown past them (then the record at the last loaded offset is another one); after the reset the
 * reload changes nothing that was loaded.
 */
describe('a recreated topic', () => {
  const t = useDeployment({ world: WORLD });
  const citizens = async (): Promise<unknown> => tableFingerprint(await t.db(), 'core.citizen', 'personal_id', LINEAGE_COLUMNS);

  async function recreate(deployment: TestDeployment, copies: number): Promise<void> {
    const { kafka, naming, catalogue } = deployment.runtime;
    const topic = rawTopic(naming, 'population', 'citizen');
    const admin = kafka.admin();
    await admin.connect();
    try {
      await admin.deleteTopics({ topics: [topic], timeout: 30_000 });
      for (let i = 0; i < 50 && (await admin.listTopics()).includes(topic); i += 1) await new Promise((r) => setTimeout(r, 200));
      await ensureTopics(admin, [{ topic, partitions: deployment.settings.LGSP_TOPIC_PARTITIONS, compacted: true }]);
    } finally {
      await admin.disconnect();
    }
    const citizens = [...worldMessages(createWorld(WORLD))].filter((m) => m.entity === 'citizen');
    const written = copies === 0 ? citizens.slice(0, 5) : Array.from({ length: copies }, () => citizens).flat();
    await produceRaw(kafka, catalogue, naming, written, deployment.settings.LGSP_TOPIC_PARTITIONS);
  }

  it('is refused when it ends below the stored offsets, and when it has grown past them; a reset reloads it', async () => {
    await extract(t.runtime, ['population'], { overrides: t.overrides });
    await load(t.runtime, ['population']);
    const before = await citizens();

    await recreate(t, 0);
    const shorter = await startCli(['load', 'population'], t.cliEnv()).done;
    expect(shorter.code).not.toBe(0);
    expect(shorter.stderr).toMatch(/lgsp: topic \S+lgsp\.raw\.population\.citizen\.v1 partition \d is not the one pipeline population loaded from: it ends at offset \d+, below the offset \d+ stored for it \[TOPIC_RECREATED\]/);
    expect(shorter.stderr).toContain('hint: if the topic was recreated on purpose, reload it: npx lgsp offsets reset population --to earliest');

    // Twice the world: every partition now ends past its stored offset, and holds other records at it.
    await recreate(t, 2);
    const longer = await startCli(['load', 'population'], t.cliEnv()).done;
    expect(longer.code).not.toBe(0);
    expect(longer.stderr).toMatch(/partition \d is not the one pipeline population loaded from: the record at offset \d+ is not the one loaded from it .*\[TOPIC_RECREATED\]/);
    expect(await citizens()).toEqual(before);

    await resetOffsets(t.runtime, 'population', { to: 'earliest' });
    const [reloaded] = await load(t.runtime, ['population']);
    expect(reloaded).toMatchObject({ rejected: 0, loaded: 0, updated: 0 });
    expect(await citizens()).toEqual(before);
  });
});
