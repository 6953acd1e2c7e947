// The inspector's tasks as last seen online, kept on the phone (localStorage) with the workflow's
// inspector actions, so that the verify and check tasks can be worked through without a network.
import type { CaseItem, WorkflowTable } from '../api/cases.ts';

const KEY = 'cityops.inspector.tasks';

export interface CachedTasks {
  userId: number | null;
  fetchedAt: string;
  tasks: CaseItem[];
  /** The transitions an inspector may take (from the workflow table), to offer the same buttons offline. */
  transitions: WorkflowTable['transitions'];
}

export function saveTasks(value: CachedTasks): void {
  try { localStorage.setItem(KEY, JSON.stringify(value)); } catch { /* storage full or refused: the live list still shows */ }
}

/** The cached tasks of this user; another user's tasks on a shared phone are not shown. */
export function loadTasks(userId: number | null): CachedTasks | null {
  try {
    const value = JSON.parse(localStorage.getItem(KEY) ?? 'null') as CachedTasks | null;
    return value && value.userId === userId ? value : null;
  } catch {
    return null;
  }
}
