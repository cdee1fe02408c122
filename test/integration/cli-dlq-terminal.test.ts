import { describe, expect, it } from 'vitest';
import { dlqTopic, rawTopic } from '../../src/kafka/topics.js';
import { startCli } from '../harness/cli.js';
import { useDeployment } from '../harness/deployment.js';

/**
 * Regression test: `lgsp dlq list` printed dead letters' keys and headers as they came, so a
 * record from a source could drive the operator's terminal (colours, cursor moves, a new window
 * title, text reordered by a bidirectional override). Everything is shown escaped now, and
 * printable Vietnamese stays as it is.
 */
describe('lgsp dlq list on a hostile dead letter', () => {
  const t = useDeployment({ migrate: false });

  it('shows control characters and bidirectional overrides escaped, never raw', async () => {
    const raw = rawTopic(t.runtime.naming, 'population', 'citizen');
    const producer = t.runtime.kafka.producer();
    await producer.connect();
    await producer.send({
      topic: dlqTopic(raw),
      messages: [
        {
          key: '\x1b[2J\x1b[31m0010990\x1b[0m',
          value: '{"full_name":"Nguyễn Thị \x1b]0;owned\x07Ánh","note":"\r\x1b[1Aok\x9b1m"}',
          headers: {
            'lgsp.error.code': 'SCHEMA\x1b[5m',
            'lgsp.error.reason': 'full_name: \u202Egnol oot\u202C Trà Vinh\x08\x7f',
            'lgsp.source': 'population\x1b[8m',
            'lgsp.stream': 'citizens',
          },
        },
      ],
    });
    await producer.disconnect();

    const result = await startCli(['dlq', 'list', raw, '--values'], t.cliEnv()).done;
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const out = result.stdout;
    for (const raw of ['\x1b', '\x07', '\x08', '\x7f', '\x9b', '\r', '\u202E', '\u202C']) expect(out).not.toContain(raw);
    expect(out).toContain('\\x1b[2J\\x1b[31m0010990\\x1b[0m');
    expect(out).toContain('Nguyễn Thị \\x1b]0;owned\\x07Ánh');
    expect(out).toContain('\\r\\x1b[1Aok\\x9b1m');
    expect(out).toContain('SCHEMA\\x1b[5m');
    expect(out).toContain('full_name: \\u202egnol oot\\u202c Trà Vinh\\x08\\x7f');
    expect(out).toContain('connector:population\\x1b[8m/citizens');
    expect(out).toContain('1 dead letter(s).');
  });
});
