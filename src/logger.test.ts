import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.js';

function capture(): { stream: Writable; lines: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk.toString());
      callback();
    },
  });
  return { stream, lines: () => chunks.join('').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('logger', () => {
  it('never writes secrets: passwords, client secrets, tokens, authorization headers, database URLs', () => {
    const out = capture();
    const logger = createLogger({ level: 'info', destination: out.stream }).child({ component: 'test' });
    logger.info(
      {
        clientSecret: 's3cr3t-client',
        password: 'hunter2',
        accessToken: 'tok-abc',
        headers: { authorization: 'Bearer tok-abc' },
        config: { clientSecret: 's3cr3t-nested', databaseUrl: 'postgres://u:pw@h/db' },
      },
      'connecting',
    );
    const text = JSON.stringify(out.lines());
    for (const secret of ['s3cr3t-client', 'hunter2', 'tok-abc', 's3cr3t-nested', 'pw@h']) expect(text).not.toContain(secret);
    expect(out.lines()[0]).toMatchObject({ clientSecret: '[redacted]', password: '[redacted]', headers: { authorization: '[redacted]' } });
  });

  it('redacts the settings marked secret when settings are logged', () => {
    const out = capture();
    const logger = createLogger({ level: 'info', destination: out.stream });
    logger.info({ settings: { DATABASE_URL: 'postgres://u:pw-warehouse@h/db', LGSP_CLIENT_SECRET: 'client-s3cr3t', LOG_LEVEL: 'info' } }, 'started');
    const text = JSON.stringify(out.lines());
    for (const secret of ['pw-warehouse', 'client-s3cr3t']) expect(text).not.toContain(secret);
    expect(out.lines()[0]).toMatchObject({ settings: { DATABASE_URL: '[redacted]', LOG_LEVEL: 'info' } });
  });
});
