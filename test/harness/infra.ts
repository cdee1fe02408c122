import { inject } from 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The Kafka cluster the integration tests use (set up by test/harness/global-setup.ts). */
    kafkaBrokers: string[];
    /** The PostgreSQL database the integration tests use; each test creates what it needs inside it. */
    databaseUrl: string;
  }
}

/** Where the integration tests find Kafka and PostgreSQL, as decided once by the global setup. */
export interface TestInfra {
  readonly brokers: string[];
  readonly databaseUrl: string;
}

export function testInfra(): TestInfra {
  return { brokers: inject('kafkaBrokers'), databaseUrl: inject('databaseUrl') };
}
