// Free-text filters match alike on both databases (text-match.ts): ignoring the case of letters, and taking the
// user's % and _ as themselves. Four users by hand; the list's `q` filter through listUsers.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { listUsers } from '../access/users.service.ts';
import { describeOnBothDatabases } from '../test/databases.ts';
import { textStartsWith } from './text-match.ts';

describeOnBothDatabases('free-text filters ignore case and take % and _ literally', (database) => {
  before(async () => {
    const now = Date.now();
    const user = (username: string, display_name: string) => ({ username, display_name, password_hash: 'x', status: 'active' as const, phone: null, created_at: now, updated_at: now, last_login_at: null });
    await database().db.insertInto('users').values([user('Zhang_Wei', '张伟'), user('zhangsan', '张三'), user('wang.li', '王%立'), user('liwei', 'Li Wei')]).execute();
  });
  const names = async (q: string) => (await listUsers(database().db, { q, limit: 50, offset: 0 })).items.map((u) => u.username).sort();

  test('a search finds its text whatever the case of its letters', async () => {
    assert.deepEqual(await names('ZHANG'), ['Zhang_Wei', 'zhangsan']);
    assert.deepEqual(await names('wei'), ['Zhang_Wei', 'liwei']);
    assert.deepEqual(await names('张'), ['Zhang_Wei', 'zhangsan']);
  });

  test('% and _ typed by the user are matched as themselves', async () => {
    assert.deepEqual(await names('_'), ['Zhang_Wei'], '_ is not "any one character"');
    assert.deepEqual(await names('%'), ['wang.li'], '% is not "anything"');
    assert.deepEqual(await names('g_w'), ['Zhang_Wei']);
  });

  test('a prefix match ignores case too', async () => {
    const rows = await database().db.selectFrom('users').select('username').where(textStartsWith(database().db, 'username', 'ZH')).orderBy('username').execute();
    assert.deepEqual(rows.map((r) => r.username).sort(), ['Zhang_Wei', 'zhangsan']);
  });
});
