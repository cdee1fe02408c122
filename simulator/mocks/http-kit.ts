import type { IncomingMessage, ServerResponse } from 'node:http';

/** LGSP adapters answer errors with a numeric code and a symbolic name (provincial guide). */
export const LGSP_ERRORS = {
  AUTHEN_ERROR: 100,
  IP_DISALLOWED: 101,
  RECORD_NOT_FOUND: 201,
  INVALID_PARAMETER: 300,
  TOO_MANY_REQUESTS: 429,
  INTERNAL_ERROR: 500,
} as const;
export type LgspErrorName = keyof typeof LGSP_ERRORS;

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

export function sendError(
  res: ServerResponse,
  status: number,
  error: LgspErrorName,
  message: string,
  headers: Record<string, string> = {},
): void {
  sendJson(res, status, { status: 'ERROR', errorCode: LGSP_ERRORS[error], error, message }, headers);
}

/** Reads a small request body (token requests); refuses anything large. */
export async function readBody(req: IncomingMessage, limit = 16_384): Promise<string> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new Error('request body too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
