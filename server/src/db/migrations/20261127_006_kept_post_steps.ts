import { sql, type Kysely } from 'kysely';
import { ddlFor } from '../ddl.ts';

// Each person's post steps per Beijing day and action (受理, 核实, 立案, 派遣, 核查, 结案 …), kept as the
// steps are written (decision 0009): a month's post evaluation reads a few thousand rows instead of
// millions of step events. Counting by the step's own instant keeps it exact "as of" any day boundary.
export async function up(db: Kysely<any>): Promise<void> {
  const t = ddlFor(db);
  await db.schema
    .createTable('kept_post_steps')
    .addColumn('day', 'integer', (c) => c.notNull())
    .addColumn('actor_id', t.bigint, (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('n', 'integer', (c) => c.notNull())
    .addColumn('on_time', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('kept_post_steps_pk', ['day', 'actor_id', 'action'])
    .execute();
  // Fill from the steps already recorded (the same statement the rebuild command runs).
  await sql`insert into kept_post_steps (day, actor_id, action, n, on_time)
    select (at + 28800000) / 86400000, actor_id, action, count(*), sum(case when on_time = 1 then 1 else 0 end)
    from case_events where actor_kind = 'user' and actor_id is not null
      and action in ('accept', 'reject', 'send_verify', 'verify_confirm', 'verify_refute', 'check_pass', 'check_fail', 'register', 'close', 'dispatch')
    group by (at + 28800000) / 86400000, actor_id, action`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('kept_post_steps').execute();
}
