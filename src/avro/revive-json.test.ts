import { describe, expect, it } from 'vitest';
import { parseSchema } from './parse-schema.js';
import { reviveJson } from './revive-json.js';

describe('reviveJson', () => {
  const type = parseSchema({
    type: 'record',
    name: 'T',
    fields: [
      { name: 'at', type: { type: 'long', logicalType: 'timestamp-millis' } },
      { name: 'maybe', type: ['null', { type: 'long', logicalType: 'timestamp-millis' }], default: null },
      { name: 'day', type: { type: 'int', logicalType: 'date' } },
      { name: 'items', type: { type: 'array', items: { type: 'record', name: 'I', fields: [{ name: 'when', type: { type: 'long', logicalType: 'timestamp-millis' } }] } } },
    ],
  });

  it('turns JSON timestamps back into Dates, at any depth, and the value validates again', () => {
    const original = { at: new Date('2025-01-02T03:04:05.678Z'), maybe: new Date('2025-02-01T00:00:00.000Z'), day: '2025-01-02', items: [{ when: new Date(0) }] };
    const revived = reviveJson(type, JSON.parse(JSON.stringify(original)));
    expect(revived).toEqual(original);
    expect(type.isValid(revived)).toBe(true);
  });

  it('leaves what does not fit for validation to report', () => {
    const revived = reviveJson(type, { at: 12, maybe: null, day: '2025-02-30', items: 'x' }) as Record<string, unknown>;
    expect(revived).toEqual({ at: 12, maybe: null, day: '2025-02-30', items: 'x' });
    expect(type.isValid(revived)).toBe(false);
  });
});
