import { sql, type Kysely } from 'kysely';

// "Overdue at T" at 10,000,000 cases on PostgreSQL: the planner folded the filter's two branches into "due
// before T and (not reported back, or reported back after T)" and, not knowing that a case not reported
// back and with a handling deadline is a case still held (a few thousand), estimated 800,000 rows and
// scanned the table (9 s; bench case_queries). The list now asks for the two branches as a UNION ALL, and
// this partial index holds only the cases still held: its size tells the planner how few they are.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('cases_held_due').on('cases').column('handling_due_at')
    .where(sql.ref('handling_stopped_at'), 'is', null).where(sql.ref('handling_due_at'), 'is not', null).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('cases_held_due').execute();
}
