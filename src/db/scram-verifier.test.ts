import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { scramSha256Verifier } from './scram-verifier.js';

describe('scramSha256Verifier', () => {
  // RFC 7677 §3: user "user", password "pencil"; the server's signature of the exchange proves its ServerKey.
  it('derives the keys of RFC 7677’s example exchange', () => {
    const verifier = scramSha256Verifier('pencil', { salt: Buffer.from('W22ZaJ0SNY7soEsUEjb6gQ==', 'base64'), iterations: 4096 });
    const match = /^SCRAM-SHA-256\$4096:W22ZaJ0SNY7soEsUEjb6gQ==\$([A-Za-z0-9+/=]+):([A-Za-z0-9+/=]+)$/.exec(verifier);
    expect(match).not.toBeNull();
    const serverKey = Buffer.from(match?.[2] ?? '', 'base64');
    const nonce = 'rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0';
    const authMessage = `n=user,r=rOprNGfwEbeRWgbNEkqO,r=${nonce},s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096,c=biws,r=${nonce}`;
    expect(createHmac('sha256', serverKey).update(authMessage).digest('base64')).toBe('6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=');
  });

  it('salts every verifier afresh and never contains the password', () => {
    const a = scramSha256Verifier('Mật-khẩu 2025');
    const b = scramSha256Verifier('Mật-khẩu 2025');
    expect(a).not.toBe(b);
    expect(a).not.toContain('khẩu');
  });
});
