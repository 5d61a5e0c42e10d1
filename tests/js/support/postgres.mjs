// A fresh PostgreSQL database for one test file: on the cluster scripts/test.sh started
// (KASSA_TEST_PG_URL), or on a throwaway one started here (scripts/postgres.sh) and stopped
// when the database is dropped.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const script = fileURLToPath(new URL('../../../scripts/postgres.sh', import.meta.url));

function withDatabase(url, name) {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  parsed.search = '';
  return parsed.toString();
}

export async function freshDatabase() {
  let cluster = process.env.KASSA_TEST_PG_URL;
  let own = false;
  if (!cluster) {
    cluster = execFileSync(script, ['start'], { encoding: 'utf8' }).trim();
    own = true;
  }
  const name = `kassa_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: withDatabase(cluster, 'postgres') });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  return {
    url: withDatabase(cluster, name),
    async drop() {
      if (own) {
        execFileSync(script, ['stop', cluster]);
        return;
      }
      const client = new pg.Client({ connectionString: withDatabase(cluster, 'postgres') });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}
