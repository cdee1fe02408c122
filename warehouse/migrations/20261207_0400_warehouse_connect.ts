import type { Knex } from 'knex';

/**
 * Analysts connect to the warehouse and to nothing else the project creates. PostgreSQL lets
 * PUBLIC connect to every new database, so a login role granted lgsp_analyst could open the
 * simulator's store, or any database on the server. CONNECT on the warehouse is taken from PUBLIC
 * and given to lgsp_analyst; the owner keeps it (an owner's privileges are not PUBLIC's), and so
 * does the role migrating, which every component connects as (DATABASE_URL) even when it is not
 * the owner. The simulator's store revokes its own (simulator/store/sim-store.ts).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`DO $$
BEGIN
  EXECUTE format('REVOKE CONNECT ON DATABASE %I FROM PUBLIC', current_database());
  EXECUTE format('GRANT CONNECT ON DATABASE %I TO lgsp_analyst', current_database());
  EXECUTE format('GRANT CONNECT ON DATABASE %I TO %I', current_database(), current_user);
END
$$`);
}
