import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeOnBothDatabases } from '../test/databases.ts';
import { ReferenceCache, referenceGeneration } from './reference-cache.ts';

describeOnBothDatabases('reference data kept per generation (migration 017, reference-cache.ts)', (database) => {
  it('every write to a reference table moves the generation, in the writer’s own transaction; other writes do not', async () => {
    const { db } = database();
    const g0 = await referenceGeneration(db);
    await db.insertInto('audit_log').values({ at: 1, actor_kind: 'system', actor_id: null, actor_name: 't', action: 'x', entity_type: 'x', entity_ref: null, detail: null }).execute();
    assert.equal(await referenceGeneration(db), g0, 'the audit log is not reference data');
    await db.insertInto('settings').values({ key: 'test_ref', value: 'a', updated_at: 1 }).execute();
    const g1 = await referenceGeneration(db);
    assert.notEqual(g1, g0);
    await db.updateTable('settings').set({ value: 'b' }).where('key', '=', 'test_ref').execute();
    const g2 = await referenceGeneration(db);
    assert.notEqual(g2, g1);
    await db.deleteFrom('settings').where('key', '=', 'test_ref').execute();
    assert.notEqual(await referenceGeneration(db), g2);
  });

  it('loads a value once per generation and again after a change', async () => {
    const { db } = database();
    const cache = new ReferenceCache();
    let loads = 0;
    const value = async () => (await cache.snapshot(db)).get('value', async () => {
      loads++;
      return (await db.selectFrom('settings').select('value').where('key', '=', 'test_value').executeTakeFirst())?.value ?? null;
    });
    assert.equal(await value(), null);
    assert.equal(await value(), null);
    assert.equal(loads, 1);
    await db.insertInto('settings').values({ key: 'test_value', value: 'v1', updated_at: 1 }).execute();
    assert.equal(await value(), 'v1');
    assert.equal(await value(), 'v1');
    assert.equal(loads, 2);
  });

  it('what a rolled-back change loaded is not taken for a later change', async () => {
    const { db } = database();
    const cache = new ReferenceCache();
    const read = (executor: typeof db) => async () => (await executor.selectFrom('settings').select('value').where('key', '=', 'test_rollback').executeTakeFirst())?.value ?? null;
    await assert.rejects(db.transaction().execute(async (trx) => {
      await trx.insertInto('settings').values({ key: 'test_rollback', value: 'never', updated_at: 1 }).execute();
      assert.equal(await (await cache.snapshot(trx)).get('v', read(trx)), 'never');
      throw new Error('roll back');
    }), /roll back/);
    assert.equal(await (await cache.snapshot(db)).get('v', read(db)), null);
    await db.insertInto('settings').values({ key: 'test_rollback', value: 'kept', updated_at: 2 }).execute();
    assert.equal(await (await cache.snapshot(db)).get('v', read(db)), 'kept');
  });
});
