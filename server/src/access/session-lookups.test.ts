import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { lookupsOf } from '../db/database.ts';
import { describeOnBothDatabases } from '../test/databases.ts';
import { FIXTURE } from '../test/fixtures.ts';
import { buildTestApp, type TestClient } from '../test/http.ts';
import { hashSecret } from './tokens.ts';
import { sessionGrantRows } from './session-lookups.ts';

describeOnBothDatabases('session lookups read together in one turn (session-lookups.ts)', (database) => {
  let client: TestClient;
  const tokens: { token: string; role: string; territory: string | null }[] = [];
  before(async () => {
    client = await buildTestApp(database());
    for (const [role, territoryCode] of [['inspector', FIXTURE.street], ['acceptor', FIXTURE.city], ['territory_government', FIXTURE.district], ['leader', FIXTURE.city]] as const) {
      tokens.push({ token: await client.tokenFor([{ role, ...(territoryCode ? { territoryCode } : {}) }]), role, territory: territoryCode });
    }
  });
  after(() => client.close());

  test('forty requests at once, from four sessions: each is answered as its own user with its own grants', async () => {
    const asked = Array.from({ length: 40 }, (_, i) => tokens[i % tokens.length]!);
    const answers = await Promise.all(asked.map((t) => client.request('GET', '/api/auth/me', { token: t.token })));
    for (const [i, res] of answers.entries()) {
      assert.equal(res.statusCode, 200, res.body);
      const me = res.json();
      assert.deepEqual(me.grants.map((g: { role: string }) => g.role), [asked[i]!.role]);
      assert.equal(me.username, answers[i % tokens.length]!.json().username);
    }
    assert.equal(new Set(answers.slice(0, 4).map((r) => r.json().username)).size, 4);
  });

  test('a session logged out is refused from the next request on, while the others of the same turn pass', async () => {
    const [gone, kept] = [tokens[0]!, tokens[1]!];
    assert.equal((await client.request('POST', '/api/auth/logout', { token: gone.token })).statusCode < 300, true);
    const [a, b] = await Promise.all([client.request('GET', '/api/auth/me', { token: gone.token }), client.request('GET', '/api/auth/me', { token: kept.token })]);
    assert.deepEqual([a.statusCode, b.statusCode], [401, 200]);
  });

  test('an unknown token reads no rows; inside a transaction the caller\'s connection answers', async () => {
    const db = client.database.db;
    assert.deepEqual(await sessionGrantRows(db, hashSecret('no-such-token')), []);
    const rows = await db.transaction().execute((trx) => sessionGrantRows(trx, hashSecret(tokens[2]!.token)));
    assert.deepEqual(rows.map((r) => r.role), ['territory_government']);
  });

  test('PostgreSQL plans the lookup once, on the lookup connections (custom plans cost 0.5 ms a call); SQLite has none', async () => {
    const db = client.database.db;
    const lookups = lookupsOf(db);
    if (client.database.dialect === 'sqlite') {
      assert.equal(lookups, null);
      return;
    }
    // One after another, so that the pool gives the same connection each time, and asks it last.
    for (let i = 0; i < 8; i++) assert.equal((await sessionGrantRows(db, hashSecret(tokens[1]!.token))).length, 1);
    const { rows } = await sql<{ generic_plans: number | string; custom_plans: number | string }>`
      select generic_plans, custom_plans from pg_prepared_statements where statement like ${'%token_hash = any%'}`.execute(lookups!);
    assert.equal(rows.length, 1);
    assert.equal(Number(rows[0]!.custom_plans), 0);
    assert.ok(Number(rows[0]!.generic_plans) >= 8, `${rows[0]!.generic_plans} generic plans`);
  });
});
