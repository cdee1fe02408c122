import { describe, expect, it } from 'vitest';
import { redactUrl, showSecret } from './secrets.js';

describe('redactUrl', () => {
  it.each([
    ['postgres://app:s3cr3t@db.example:5432/lgsp', 'postgres://app:***@db.example:5432/lgsp'],
    ['postgresql://app:s3:cr@3t@db/lgsp?sslmode=require', 'postgresql://app:***@db/lgsp?sslmode=require'],
    ['postgres://app@db/lgsp?password=s3cr3t&sslmode=require', 'postgres://app@db/lgsp?password=***&sslmode=require'],
    ['postgres://db/lgsp?sslpassword=s3cr3t', 'postgres://db/lgsp?sslpassword=***'],
    ['postgres://db/lgsp?pass%77ord=s3cr3t', 'postgres://db/lgsp?pass%77ord=***'],
    // Malformed: not parseable as URLs, masked all the same.
    ['postgres://u:s3cr3t@host:notaport/db', 'postgres://u:***@host:notaport/db'],
    ['postgres:/u:s3cr3t@x', 'postgres:***@x'],
    ['u:s3cr3t@host/db', 'u:***@host/db'],
    ['u:/s3cr3t@host/db', 'u:***@host/db'],
    ['postgres://u:s3/cr3t@host/db', 'postgres://u:***@host/db'],
    ['host=db user=app password=s3cr3t dbname=lgsp', 'host=db user=app password=*** dbname=lgsp'],
    ["host=db password='s3 cr3t' dbname=lgsp", 'host=db password=*** dbname=lgsp'],
    ['a:s3cr3t@h1:9092,b:s3cr3t@h2:9092', 'a:***@h2:9092'],
  ])('%s → %s', (value, shown) => {
    expect(redactUrl(value)).toBe(shown);
    expect(redactUrl(value)).not.toContain('s3');
  });

  it('leaves what holds no password as it is', () => {
    for (const value of ['postgres://postgres@127.0.0.1:5432/lgsp', 'http://127.0.0.1:8401/population', '127.0.0.1:9092,127.0.0.1:9093', 'not a url']) {
      expect(redactUrl(value)).toBe(value);
    }
  });
});

describe('showSecret', () => {
  it('never shows a secret, masks credentials, shows the rest', () => {
    expect(showSecret('secret', 'dev-secret-change-me')).toBe('[redacted]');
    expect(showSecret('credentials', 'postgres://u:pw@h/db')).toBe('postgres://u:***@h/db');
    expect(showSecret(undefined, 'info')).toBe('info');
  });
});
