// Whether a photo filed with a key task's progress report may be read: by whoever sees the task (the office and
// leaders over the plan, the task's own units). Asked by the attachments service for photos of no case or appeal.
import type { Actor } from '@cityops/domain/access/scope';
import type { Executor } from '../db/database.ts';
import { planOf, readScope, seesTask, unitsOfTasks } from './key-task-access.ts';

export async function keyTaskEvidenceReadable(db: Executor, actor: Actor, attachmentId: number): Promise<boolean> {
  const link = await db.selectFrom('key_task_report_attachments as k').innerJoin('key_task_reports as r', 'r.id', 'k.report_id').innerJoin('key_tasks as t', 't.id', 'r.task_id')
    .select(['t.id as task_id', 't.plan_id']).where('k.attachment_id', '=', attachmentId).executeTakeFirst();
  if (!link) return false;
  const plan = await planOf(db, Number(link.plan_id));
  if (!plan) return false;
  const units = (await unitsOfTasks(db, [Number(link.task_id)])).get(Number(link.task_id)) ?? [];
  return seesTask(actor, readScope(actor, plan), units);
}
