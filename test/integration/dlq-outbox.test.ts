import { describe, expect, it } from 'vitest';
import { load } from '../../app/batch/load.js';
import { dlqTopic, rawTopic } from '../../src/kafka/topics.js';
import { readToEnd } from '../../src/kafka/read-to-end.js';
import { useDeployment } from '../harness/deployment.js';
import { produceRaw } from '../harness/world-messages.js';

const citizen = (n: number, personalId: string): Record<string, unknown> => ({
  personalId,
  fullName: `Sơn Thị Hộp Thư ${n}`,
  birthDate: '1995-03-04',
  sex: 'F',
  householdId: `HGD-OUTBOX-${n}`,
  residenceCommuneCode: '29236',
  deathDate: null,
  updatedAt: new Date('2025-06-01T02:00:00.000Z'),
});

/**
 * The dead-letter path never blocks a load: a dead letter one pipeline cannot write (here: to a
 * topic name the broker refuses) stays in that pipeline's outbox, counted, and neither that load
 * nor another pipeline's fails; the other pipeline's dead letters are written as usual.
 */
describe('the dead-letter outbox', () => {
  const t = useDeployment();

  it('a dead letter that cannot be written delays only its own pipeline, which says how many wait', async () => {
    const { runtime } = t;
    await t.query(`INSERT INTO meta.dlq_outbox (pipeline, topic, message_key, message_value, headers) VALUES ('land', 'not a topic name!.dlq', NULL, 'x', '{}')`);
    await produceRaw(runtime.kafka, runtime.catalogue, runtime.naming, [
      { source: 'population', entity: 'citizen', schema: 'vn.lgsp.raw.population.Citizen', key: '084195000501', value: citizen(1, '084195000501') },
      { source: 'population', entity: 'citizen', schema: 'vn.lgsp.raw.population.Citizen', key: '999195000502', value: citizen(2, '999195000502') },
    ]);

    const figures = await load(runtime, ['population', 'land']);
    expect(figures.find((f) => f.pipeline === 'population')).toMatchObject({ loaded: 1, rejected: 1, deadLettersPending: 0 });
    expect(figures.find((f) => f.pipeline === 'land')).toMatchObject({ deadLettersPending: 1 });

    const letters: string[] = [];
    await readToEnd(runtime.kafka, dlqTopic(rawTopic(runtime.naming, 'population', 'citizen')), (m) => letters.push(m.key?.toString() ?? ''));
    expect(letters).toEqual(['999195000502']);
    expect(await t.query(`SELECT pipeline, count(*)::int AS n FROM meta.dlq_outbox GROUP BY pipeline`)).toEqual([{ pipeline: 'land', n: 1 }]);
  });
});
