import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { openDatabase, type DatabaseHandle, type DatabaseOptions } from './database.ts';
import { migrateToLatest } from './migrate.ts';

// A row of about one page, so that each commit adds at least one page to the log.
const row = (i: number) => ({ at: i, actor_kind: 'system' as const, actor_id: null, actor_name: 't', action: 'checkpoint', entity_type: 'test', entity_ref: String(i), detail: 'x'.repeat(3_000) });

// SQLite on a file: the write-ahead log is checkpointed by a worker thread, never inside the server's commits
// (wal-checkpointer.ts, decision 0020).
/** A migrated SQLite database in a folder of its own, opened before the suite's tests and removed after them. */
function fileDatabase(options: Omit<DatabaseOptions, 'url'> = {}) {
  const file = { dir: '', path: '', handle: undefined as unknown as DatabaseHandle };
  before(async () => {
    file.dir = mkdtempSync(join(os.tmpdir(), 'cityops-checkpoint-'));
    file.path = join(file.dir, 'city.db');
    file.handle = openDatabase({ url: file.path, ...options });
    await migrateToLatest(file.handle.db);
  });
  after(async () => {
    await file.handle.close();
    rmSync(file.dir, { recursive: true, force: true });
  });
  return file;
}

describe('SQLite log checkpoints: off the server thread', () => {
  const file = fileDatabase();

  it("the server's connection does not checkpoint by itself", async () => {
    const { rows } = await sql<{ wal_autocheckpoint: number }>`pragma wal_autocheckpoint`.execute(file.handle.db);
    assert.equal(rows[0]!.wal_autocheckpoint, 0);
    assert.ok(file.handle.checkpointer, 'a file database in WAL mode has a checkpointer');
  });

  it('copies what was committed into the database, and the next writer rewinds the log', async () => {
    const checkpointer = file.handle.checkpointer!;
    const runsBefore = checkpointer.stats.runs;
    // 1,500 commits of a page or more each: 1,500 pages and more of log, past SQLite's own threshold of 1,000.
    for (let i = 0; i < 1_500; i++) await file.handle.db.insertInto('audit_log').values(row(i)).execute();
    await checkpointer.settled();
    assert.ok(checkpointer.stats.runs > runsBefore, 'checkpoints ran');
    assert.equal(checkpointer.stats.lastError, null);
    assert.equal(checkpointer.stats.lastCheckpointed, checkpointer.stats.lastLog, 'the last checkpoint copied the whole log');
    const longest = statSync(`${file.path}-wal`).size;

    // Everything is copied and no reader holds the log: the next commit writes from the start of the log again.
    await file.handle.db.insertInto('audit_log').values(row(10_000)).execute();
    await checkpointer.settled();
    assert.ok(checkpointer.stats.lastLog < 20, `the log was rewound (${checkpointer.stats.lastLog} pages after one commit)`);
    assert.equal(statSync(`${file.path}-wal`).size, longest, 'the log file is reused, not grown');
    const { rows } = await sql<{ n: number }>`select count(*) as n from audit_log where action = 'checkpoint'`.execute(file.handle.db);
    assert.equal(Number(rows[0]!.n), 1_501);
  });

  it('after closing, the data is in the database file: reopened without its log, every row is there', async () => {
    const reopened = join(file.dir, 'copy.db');
    await file.handle.close();
    // The server's close checkpoints and removes the log once the worker's connection has closed.
    assert.throws(() => statSync(`${file.path}-wal`), /ENOENT/);
    copyFileSync(file.path, reopened);
    file.handle = openDatabase({ url: reopened });
    const { rows } = await sql<{ n: number }>`select count(*) as n from audit_log where action = 'checkpoint'`.execute(file.handle.db);
    assert.equal(Number(rows[0]!.n), 1_501);
  });
});

// A job that commits transaction after transaction without ever waiting on I/O (a data set's build, a bulk import
// with NORMAL durability) never lets the event loop turn, so the worker's answers go unread: the server's
// connection then checkpoints by itself until the worker is heard again.
describe('SQLite log checkpoints: a job that never lets the event loop turn', () => {
  const file = fileDatabase({ sqliteSynchronous: 'NORMAL' });

  it('copies the log into the database as it goes: past a second unanswered, the connection checkpoints in its commits, then stops once the worker answers', async () => {
    const autocheckpoint = async () => Number((await sql<{ wal_autocheckpoint: number }>`pragma wal_autocheckpoint`.execute(file.handle.db)).rows[0]!.wal_autocheckpoint);
    const checkpointer = file.handle.checkpointer!;
    let commits = 0;
    // Two seconds of one-page commits, each awaited, none waiting on I/O (NORMAL durability: no flush to wait for).
    const until = performance.now() + 2_000;
    while (performance.now() < until) await file.handle.db.insertInto('audit_log').values(row(commits++)).execute();
    const copied = statSync(file.path).size;
    assert.ok(commits > 2_000, `${commits} commits`);
    assert.equal(checkpointer.stats.selfCheckpointingSpells, 1);
    assert.equal(await autocheckpoint(), 1_000, 'the connection checkpoints by itself while the worker is unheard');
    // The rows (3 KB each) reached the database file during the loop: without the connection's own checkpoints only
    // the worker's first one ran, and the file kept little more than the schema while the log took everything.
    assert.ok(copied > commits * 1_500, `the database file holds ${(copied / 1024 / 1024).toFixed(1)} MB after ${commits} commits of 3 KB`);

    // The event loop turns: the worker's answer is read, and the connection leaves the checkpoints to it again.
    await new Promise((resolve) => setTimeout(resolve, 20));
    await checkpointer.settled();
    assert.equal(await autocheckpoint(), 0);
    const { rows } = await sql<{ n: number }>`select count(*) as n from audit_log where action = 'checkpoint'`.execute(file.handle.db);
    assert.equal(Number(rows[0]!.n), commits);
  });
});
