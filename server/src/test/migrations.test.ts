import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'kysely';
import { Migrator } from 'kysely/migration';
import { describeOnBothDatabases } from './databases.ts';
import { migrations } from '../db/migrations/index.ts';

describeOnBothDatabases('migrations', (database) => {
  test('every migration is applied and the schema has the foundation tables', async () => {
    const { db } = database();
    const tables = (await db.introspection.getTables()).map((t) => t.name);
    for (const table of ['territory_nodes', 'catalog_classes', 'case_standards', 'calendar_days', 'users', 'audit_log']) {
      assert.ok(tables.includes(table), `missing table ${table}`);
    }
    const applied = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(db);
    assert.deepEqual(applied.rows.map((r) => r.name), Object.keys(migrations));
  });

  test('the newest migration rolls back and applies again', async () => {
    const { db } = database();
    const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
    const names = Object.keys(migrations);
    const down = await migrator.migrateDown();
    assert.equal(down.error, undefined, String(down.error));
    assert.deepEqual(down.results?.map((r) => [r.migrationName, r.status]), [[names.at(-1), 'Success']]);
    const up = await migrator.migrateToLatest();
    assert.equal(up.error, undefined, String(up.error));
    const applied = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(db);
    assert.deepEqual(applied.rows.map((r) => r.name), names);
  });

  test('check constraints refuse values outside the domain', async () => {
    const { db } = database();
    await assert.rejects(
      db.insertInto('territory_nodes').values({
        code: '990000', name: 'x', level: 'planet' as never, kind: null, parent_id: null, path: '/', area_class: 1,
        geometry: '{}', min_lon: 0, min_lat: 0, max_lon: 0, max_lat: 0, area_m2: 0, centroid_lon: 0, centroid_lat: 0,
        created_at: 0, updated_at: 0,
      }).execute(),
    );
  });
});
