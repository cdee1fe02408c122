import { describe, expect, it } from 'vitest';
import { decodeKey, encodeKey, keysetQuery } from './sql-stream.js';

describe('source offset ids of SQL keys', () => {
  it('keep a one-column text key as it is', () => {
    expect(encodeKey(['000.00.01.H57'])).toBe('000.00.01.H57');
    expect(decodeKey('000.00.01.H57', 1)).toEqual(['000.00.01.H57']);
  });

  it('encode a composite key as a JSON array that decodes back with its types', () => {
    const id = encodeKey(['000.06.27.H57-210101-00000', 12]);
    expect(id).toBe('["000.06.27.H57-210101-00000",12]');
    expect(decodeKey(id, 2)).toEqual(['000.06.27.H57-210101-00000', 12]);
  });

  it('round-trip keys that look like JSON, numbers and separators', () => {
    for (const key of [['[not json'], [7], ['a,b', 3], ['"quoted"', 0], ['x', 'y']] as const) {
      expect(decodeKey(encodeKey(key), key.length)).toEqual(key);
    }
  });

  it('refuse an id of another arity, naming it', () => {
    expect(() => decodeKey('["a",1]', 3)).toThrow(/not a key of 3 column/);
    expect(() => decodeKey('[{"a":1}]', 1)).toThrow(/not a string or number/);
  });
});

describe('keyset query', () => {
  const definition = { table: 'onestop.dossier_component', keyColumns: ['dossier_code', 'seq'], cursorColumn: 'updated_at', pageSize: 500 };

  it('reads from the start in (cursor, key) order on the first run', () => {
    const query = keysetQuery(definition, null);
    expect(query.text).toMatch(/FROM onestop\.dossier_component ORDER BY updated_at, dossier_code, seq LIMIT \$1$/);
    expect(query.values).toEqual([500]);
  });

  it('resumes strictly after the offset with a row comparison over cursor and key', () => {
    const query = keysetQuery(definition, { updatedAt: '2021-01-01T15:24:33.090123Z', id: '["D1",2]' });
    expect(query.text).toMatch(/WHERE \(updated_at, dossier_code, seq\) > \(\$1::timestamptz, \$2, \$3\) ORDER BY updated_at, dossier_code, seq LIMIT \$4$/);
    expect(query.values).toEqual(['2021-01-01T15:24:33.090123Z', 'D1', 2, 500]);
  });
});
