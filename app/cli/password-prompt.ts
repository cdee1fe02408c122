import { createInterface } from 'node:readline/promises';
import { Writable } from 'node:stream';
import { UsageError } from '../../src/errors.js';

/**
 * Asks for a password on the terminal without echoing it: the prompt is written to stderr, then
 * readline's echo of the keys typed goes nowhere. Asked twice, so a typo does not become the
 * password. Refused when stdin is not a terminal (nothing could be hidden there): the caller
 * takes the password from the environment instead.
 */
export async function promptPassword(question: string): Promise<string> {
  if (process.stdin.isTTY !== true) {
    throw new UsageError('no password: stdin is not a terminal', 'set LGSP_ANALYST_PASSWORD, or run it in a terminal to be asked');
  }
  const first = await askHidden(question);
  const second = await askHidden('again: ');
  if (first !== second) throw new UsageError('the two passwords differ', 'run it again');
  return first;
}

async function askHidden(question: string): Promise<string> {
  let muted = false;
  const output = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      if (!muted) process.stderr.write(chunk);
      callback();
    },
  });
  const rl = createInterface({ input: process.stdin, output, terminal: true });
  const cancelled = new AbortController();
  rl.on('SIGINT', () => cancelled.abort());
  try {
    const answer = rl.question(question, { signal: cancelled.signal });
    muted = true; // the prompt is out; what follows is the echo of the password
    return await answer;
  } catch (err) {
    if (cancelled.signal.aborted) throw new UsageError('cancelled');
    throw err;
  } finally {
    rl.close();
    process.stderr.write('\n');
  }
}
