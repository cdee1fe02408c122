import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../logger.js';
import { LgspHttpClient } from './lgsp-http-client.js';

let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server === undefined ? resolve() : server.close(() => resolve()))));

/** A token endpoint that echoes the form it was sent in its error answer, encoded and decoded, as some gateways do. */
async function echoingTokenEndpoint(status: number): Promise<string> {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      res.writeHead(status, { 'content-type': 'text/plain' });
      res.end(`rejected ${body} (client_secret "${new URLSearchParams(body).get('client_secret') ?? ''}")`);
    });
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return `http://127.0.0.1:${port}/population`;
}

describe('LgspHttpClient', () => {
  it.each([400, 401, 403])('never quotes the client secret from a token endpoint answering %i', async (status) => {
    const secret = 'S3cr3t +&/=é';
    const client = new LgspHttpClient({ source: 'population', baseUrl: await echoingTokenEndpoint(status), clientId: 'lgsp', clientSecret: secret, logger: silentLogger(), retry: { retries: 0, minTimeoutMs: 1, maxTimeoutMs: 1 } });
    const err: unknown = await client.get('citizens', {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    const { message } = err as Error;
    expect(message).toContain('rejected');
    expect(message).not.toContain('S3cr3t');
  });
});
