import type { Kysely } from 'kysely';

// "Overdue at T" (the list's overdue filter, 超期未处置): due before T and not reported back by T, i.e.
// handling_stopped_at IS NULL or > T. Over a month of a large city the due-before-T range holds nearly
// every case; led by handling_stopped_at, this index reads only the cases still held (NULL) and those
// reported back after T, both few (bench case_queries: 3.0 s on SQLite before, at 1,000,000 cases).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('cases_handling_stopped_due').on('cases').columns(['handling_stopped_at', 'handling_due_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('cases_handling_stopped_due').execute();
}
