import { randomBytes } from 'node:crypto';

/** A client registered with the mock adapter (the real LGSP issues these per connecting system). */
export interface ClientCredentials {
  readonly clientId: string;
  readonly clientSecret: string;
}

export const DEFAULT_CLIENT: ClientCredentials = { clientId: 'lgsp-travinh', clientSecret: 'dev-secret-change-me' };

/**
 * OAuth2 client-credentials tokens, kept in memory. Tokens expire after `ttlSeconds`, so a long
 * extraction meets an expired token mid-run as it would against the real adapter.
 */
export class TokenIssuer {
  private readonly tokens = new Map<string, number>();

  constructor(
    private readonly clients: readonly ClientCredentials[],
    private readonly ttlSeconds: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Issues a token for valid credentials, or returns null. */
  issue(clientId: string, clientSecret: string): { accessToken: string; expiresIn: number } | null {
    const known = this.clients.some((c) => c.clientId === clientId && c.clientSecret === clientSecret);
    if (!known) return null;
    const accessToken = randomBytes(24).toString('base64url');
    this.tokens.set(accessToken, this.now() + this.ttlSeconds * 1000);
    return { accessToken, expiresIn: this.ttlSeconds };
  }

  /** 'ok', or why the bearer token is refused. */
  check(authorization: string | undefined): 'ok' | 'missing' | 'invalid' | 'expired' {
    if (authorization === undefined || !authorization.startsWith('Bearer ')) return 'missing';
    const expiresAt = this.tokens.get(authorization.slice('Bearer '.length));
    if (expiresAt === undefined) return 'invalid';
    if (expiresAt <= this.now()) return 'expired';
    return 'ok';
  }

  /** Expires every token now (tests use it to force a refresh mid-run). */
  expireAll(): void {
    for (const token of this.tokens.keys()) this.tokens.set(token, 0);
  }
}
