import { execSync } from 'node:child_process';

// Drops the database the two-instance run made.
export default async function teardown() {
  const server = process.env.REGLO_TEST_DATABASE_URL;
  const name = process.env.REGLO_E2E_DATABASE;
  if (server && name) execSync(`psql "${server}" -qc "DROP DATABASE IF EXISTS ${name} WITH (FORCE)"`);
}
