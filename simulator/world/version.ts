/**
 * Version of what the generator produces. Bump it whenever a change alters generated records, so a
 * simulator store filled by an older generator is regenerated rather than served as if current.
 */
export const GENERATOR_VERSION = 2;
