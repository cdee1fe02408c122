import { z } from 'zod';

/**
 * Which settings hold secrets, marked on the settings schema itself (`.register(secretSettings, …)`
 * in settings.ts), and how every output that shows a setting hides them — the CONFIG_INVALID
 * error of a malformed setting, `lgsp config check`, log lines:
 * - `secret`: the whole value is secret (the OAuth2 client secret); it is never shown;
 * - `credentials`: a URL, connection string or broker list that may carry a password; it is shown
 *   with every password masked ({@link redactUrl}).
 */
export type SecretKind = 'secret' | 'credentials';

export const secretSettings = z.registry<{ readonly secret: SecretKind }>();

/** What stands in for a hidden secret. */
export const MASK = '***';

/** Query parameters whose value is a secret: libpq's `password` and `sslpassword`, and anything named like a secret or token. */
const SECRET_PARAMETER_NAME = /pass|secret|token|key/i;

/** `name=value` after `?`, `&` or `;` (URL query) or at the start or after a space (libpq's `key=value` form, values maybe quoted). */
const PARAMETER = /(^|[?&;\s])([^=&#?;\s]*)=('(?:[^'\\]|\\.)*'?|[^&#;\s]*)/g;

function decoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * A URL, connection string or `host:port` list with every password masked, for messages and logs.
 * It works by pattern, not by parsing, so that a malformed value — `postgres://u:pw@host:notaport/db`,
 * `postgres:/u:pw@x`, `u:pw@host/db` — is masked too: everything from the first `:` of the
 * userinfo (after a `scheme://`) up to the last `@` goes, and so does the value of every
 * password-like parameter (`?password=…`, or libpq's `password=…`). A user name stays (it says who was refused); a value without `@`
 * has no userinfo. When unsure it masks more, never less.
 */
export function redactUrl(value: string): string {
  const masked = value.replace(PARAMETER, (whole, sep: string, name: string) => (SECRET_PARAMETER_NAME.test(decoded(name)) ? `${sep}${name}=${MASK}` : whole));
  const at = masked.lastIndexOf('@');
  if (at < 0) return masked;
  const scheme = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.exec(masked)?.[0] ?? '';
  const userinfo = masked.slice(scheme.length, at);
  const colon = userinfo.indexOf(':');
  if (colon < 0) return masked;
  return `${scheme}${userinfo.slice(0, colon + 1)}${MASK}${masked.slice(at)}`;
}

/** A value as it may be shown, given how its setting is marked (unmarked settings are shown as they are). */
export function showSecret(kind: SecretKind | undefined, value: string): string {
  if (kind === 'secret') return '[redacted]';
  if (kind === 'credentials') return redactUrl(value);
  return value;
}
