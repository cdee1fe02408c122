import { beforeAll, describe, expect, it } from 'vitest';
import { listDeadLetters, replayDeadLetters } from '../../app/admin/dlq.js';
import { extract } from '../../app/batch/extract.js';
import { load } from '../../app/batch/load.js';
import { NO_FAULTS } from '../../simulator/mocks/faults.js';
import { useDeployment } from '../harness/deployment.js';

describe('lgsp dlq list|replay', () => {
  const t = useDeployment({ world: { seed: 13, scale: 0.001, faults: { ...NO_FAULTS, rateMalformed: 0.05, seed: 13 } } });
  const raw = (): string => 'lgsp.raw.population.citizen.v1';

  beforeAll(async () => {
    await extract(t.runtime, ['population'], { overrides: t.overrides });
  });

  it('lists every dead letter with a reason naming the field and its origin', async () => {
    const { runtime } = t;
    const letters = await listDeadLetters(runtime, raw());
    const malformed = Object.values(t.sources.services.find((s) => s.source === 'population')?.faults.counts.malformed ?? {}).reduce((a, b) => a + b, 0);
    expect(malformed).toBeGreaterThan(10);
    expect(letters).toHaveLength(malformed);
    for (const l of letters) {
      expect(l.origin).toBe('connector:population/citizens');
      expect(l.code).toBe('RECORD_INVALID');
      expect(l.reason).toMatch(/^(personalId|fullName|birthDate)\b/);
    }
  });

  it('replays exactly once: still-bad letters go back with their reason, a letter that now passes is loaded', async () => {
    const { runtime } = t;
    const before = await listDeadLetters(runtime, raw());
    // A dead letter rejected by an older, stricter rule: its body is valid today.
    const producer = runtime.kafka.producer();
    await producer.connect();
    const citizen = { personalId: '084195012345', fullName: 'Thạch Thị Sa Rết', birthDate: '1995-03-04', sex: 'F', householdId: 'HGD-REPLAY', residenceCommuneCode: '29236', deathDate: null, updatedAt: '2025-06-01T02:00:00.000Z' };
    await producer.send({
      topic: `${t.settings.LGSP_TOPIC_PREFIX}${raw()}.dlq`,
      messages: [{
        key: citizen.personalId,
        value: JSON.stringify(citizen),
        headers: { 'lgsp.error.code': 'RECORD_INVALID', 'lgsp.error.reason': 'fullName: Khmer names were refused by v0 of the rules', 'lgsp.source': 'population', 'lgsp.stream': 'citizens', 'lgsp.schema': 'vn.lgsp.raw.population.Citizen', 'lgsp.source.offset': '{}' },
      }],
    });
    await producer.disconnect();

    const first = await replayDeadLetters(runtime, raw());
    expect(first).toMatchObject({ read: before.length + 1, produced: 1, reinjected: 0, deadAgain: before.length });
    // Nothing is replayed twice.
    const second = await replayDeadLetters(runtime, raw());
    expect(second.read).toBe(before.length); // only the letters the first replay wrote back
    const after = await listDeadLetters(runtime, raw());
    expect(after).toHaveLength(before.length * 3 + 1);

    await load(runtime, ['population']);
    const rows = await t.query(`SELECT full_name FROM core.citizen WHERE personal_id = $1`, [citizen.personalId]);
    expect(rows).toEqual([{ full_name: 'Thạch Thị Sa Rết' }]);
  });
});
