// The office's forms for key tasks: a plan (new, or its name, description and rule), a task or sub-task with its
// lead and cooperating units, a milestone (new or corrected). The server checks every field; its message for a
// field is shown beside it (the names it uses: `lead.code`, `cooperating[1].code`, `dueDate` …), the whole list in
// the ErrorPanel under the form. Nothing is checked here but that the inputs are filled as the browser knows.
import { useState, type FormEvent, type ReactNode } from 'react';
import { ApiError } from '../api/client.ts';
import {
  addMilestone, addTask, createPlan, listRules, updateMilestone, updatePlan, updateTask,
  type KtMilestone, type KtPlan, type KtUnit, type KtUnitRef,
} from '../api/key-tasks.ts';
import { listDepartmentRows } from '../api/departments.ts';
import { listNodes } from '../api/territory.ts';
import { useApi } from '../hooks/useApi.ts';
import { useSubmit } from '../hooks/useSubmit.ts';
import { useI18n } from '../i18n/index.tsx';
import { ErrorPanel } from '../components/ErrorPanel.tsx';

/** The server's messages for a field and its parts ('lead' → 'lead.code'; 'cooperating' → 'cooperating[0].code'). */
function messagesFor(error: unknown, field: string): string[] {
  if (!(error instanceof ApiError)) return [];
  return error.issues.filter((i) => i.field === field || i.field.startsWith(`${field}.`) || i.field.startsWith(`${field}[`)).map((i) => i.message);
}

/** A labelled input with its field's message from the server under it. */
function Field({ label, field, error, children, grow }: { label: string; field: string; error: unknown; children: ReactNode; grow?: boolean }) {
  const messages = messagesFor(error, field);
  return (
    <label className={`field${grow ? ' grow' : ''}`}>
      <span>{label}</span>
      {children}
      {messages.length > 0 && <span className="field-hint" role="alert" data-field={field}>{messages.join('；')}</span>}
    </label>
  );
}

/** The city and its districts (territory governments) and the departments that can answer for a task. */
function useUnitChoices() {
  return useApi(async (signal) => {
    const [city, districts, departments] = await Promise.all([
      listNodes({ level: 'city', limit: 10 }, signal), listNodes({ level: 'district', limit: 200 }, signal), listDepartmentRows({}, signal),
    ]);
    return {
      territories: [...city.items, ...districts.items].map((n) => ({ value: `territory:${n.code}`, label: n.name, code: n.code })),
      departments: departments.filter((d) => d.active && (d.kind === 'professional' || d.kind === 'collaborative')).map((d) => ({ value: `department:${d.code}`, label: d.name })),
    };
  }, []);
}

const refOf = (value: string): KtUnitRef => { const [kind, code] = value.split(':') as ['department' | 'territory', string]; return { kind, code }; };
const valueOf = (u: Pick<KtUnit, 'kind' | 'code'>) => `${u.kind}:${u.code}`;

/** A new plan, or (with `plan`) its name, description and scoring rule. */
export function PlanForm({ plan, onDone }: { plan?: KtPlan; onDone: (planId: number) => void }) {
  const { t } = useI18n();
  const year = new Date().getFullYear();
  const [code, setCode] = useState('');
  const [name, setName] = useState(plan?.name ?? '');
  const [planYear, setPlanYear] = useState(String(year));
  const [ownerCode, setOwnerCode] = useState('');
  const [ruleCode, setRuleCode] = useState(plan?.ruleCode ?? '');
  const [description, setDescription] = useState(plan?.description ?? '');
  const { busy, error, run } = useSubmit();
  const rules = useApi((signal) => listRules(signal), []);
  const units = useUnitChoices();
  const owners = units.data?.territories ?? [];
  const send = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      if (plan) onDone((await updatePlan(plan.id, { name, description: description || null, ruleCode })).plan.id);
      else onDone((await createPlan({ code: code.trim(), name, year: Number(planYear), ownerCode: ownerCode || owners[0]?.code || '', ruleCode, ...(description ? { description } : {}) })).plan.id);
    });
  };
  return (
    <form className="card kt-form" onSubmit={send} aria-label={plan ? t('kt.form.editPlan') : t('kt.form.newPlan')}>
      <h2>{plan ? t('kt.form.editPlan') : t('kt.form.newPlan')}</h2>
      <div className="field-row">
        {!plan && <Field label={t('kt.form.code')} field="code" error={error}><input name="code" value={code} maxLength={40} placeholder="shuangshi-2026" onChange={(e) => setCode(e.target.value)} /></Field>}
        <Field label={t('kt.form.planName')} field="name" error={error} grow><input name="name" value={name} maxLength={200} onChange={(e) => setName(e.target.value)} /></Field>
        {!plan && <Field label={t('kt.year')} field="year" error={error}><input name="year" inputMode="numeric" value={planYear} onChange={(e) => setPlanYear(e.target.value)} style={{ width: 80 }} /></Field>}
        {!plan && (
          <Field label={t('kt.owner')} field="ownerCode" error={error}>
            <select name="ownerCode" value={ownerCode} onChange={(e) => setOwnerCode(e.target.value)}>{owners.map((o) => <option key={o.code} value={o.code}>{o.label}</option>)}</select>
          </Field>
        )}
        <Field label={t('kt.form.rule')} field="ruleCode" error={error}>
          <select name="ruleCode" value={ruleCode} onChange={(e) => setRuleCode(e.target.value)}>
            <option value="">—</option>
            {(rules.data?.items ?? []).map((r) => <option key={r.code} value={r.code}>{`${r.code} · ${r.name} (v${r.version})`}</option>)}
          </select>
        </Field>
      </div>
      <Field label={t('kt.form.description')} field="description" error={error}><textarea name="description" rows={2} value={description} onChange={(e) => setDescription(e.target.value)} /></Field>
      <ErrorPanel error={error ?? units.error ?? rules.error} />
      <button type="submit" className="btn primary" disabled={busy}>{busy ? t('common.saving') : t('kt.form.save')}</button>
    </form>
  );
}

interface TaskFormProps {
  planId: number;
  /** For a new sub-task: its task (numbered `<seq>.n`, units taken from it unless given). */
  parent?: { id: number; seq: string };
  /** For a correction: the task as shown, and its units. */
  task?: { id: number; seq: string; name: string; target: string; startDate: string; endDate: string; units: KtUnit[] };
  defaults?: { startDate: string; endDate: string };
  onDone: (taskId: number) => void;
}

/** A task or sub-task: number, name, target, period, lead unit (牵头单位) and cooperating units (配合单位). */
export function TaskForm({ planId, parent, task, defaults, onDone }: TaskFormProps) {
  const { t } = useI18n();
  const [seq, setSeq] = useState(parent ? `${parent.seq}.` : '');
  const [name, setName] = useState(task?.name ?? '');
  const [target, setTarget] = useState(task?.target ?? '');
  const [startDate, setStartDate] = useState(task?.startDate ?? defaults?.startDate ?? '');
  const [endDate, setEndDate] = useState(task?.endDate ?? defaults?.endDate ?? '');
  const [lead, setLead] = useState(task?.units.filter((u) => u.role === 'lead').map(valueOf)[0] ?? '');
  const [cooperating, setCooperating] = useState<string[]>(task?.units.filter((u) => u.role === 'cooperating').map(valueOf) ?? []);
  const { busy, error, run } = useSubmit();
  const units = useUnitChoices();
  const choices = [...(units.data?.territories ?? []), ...(units.data?.departments ?? [])];
  const send = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      const unitsGiven = lead ? { lead: refOf(lead), cooperating: cooperating.filter((c) => c !== lead).map(refOf) } : {};
      if (task) onDone((await updateTask(task.id, { name, target, startDate, endDate, ...unitsGiven })).task.id);
      else onDone((await addTask(planId, { ...(parent ? { parentId: parent.id } : {}), seq: seq.trim(), name, target, startDate, endDate, ...unitsGiven })).task.id);
    });
  };
  const title = task ? t('kt.form.editTask') : parent ? t('kt.form.newSubTask') : t('kt.form.newTask');
  return (
    <form className="card kt-form" onSubmit={send} aria-label={title}>
      <h2>{title}</h2>
      <div className="field-row">
        {!task && <Field label={t('kt.seq')} field="seq" error={error}><input name="seq" value={seq} maxLength={20} style={{ width: 70 }} onChange={(e) => setSeq(e.target.value)} /></Field>}
        <Field label={t('kt.form.taskName')} field="name" error={error} grow><input name="name" value={name} maxLength={200} onChange={(e) => setName(e.target.value)} /></Field>
        <Field label={t('kt.form.startDate')} field="startDate" error={error}><input name="startDate" type="date" value={startDate} onChange={(e) => setStartDate(e.target.value)} /></Field>
        <Field label={t('kt.form.endDate')} field="endDate" error={error}><input name="endDate" type="date" value={endDate} onChange={(e) => setEndDate(e.target.value)} /></Field>
      </div>
      <Field label={t('kt.target')} field="target" error={error}><textarea name="target" rows={2} value={target} onChange={(e) => setTarget(e.target.value)} /></Field>
      <div className="field-row">
        <Field label={t('kt.lead')} field="lead" error={error}>
          <select name="lead" value={lead} onChange={(e) => setLead(e.target.value)}>
            <option value="">{parent ? t('kt.form.sameAsTask') : '—'}</option>
            {choices.map((c) => <option key={c.value} value={c.value}>{c.label}</option>)}
          </select>
        </Field>
        <Field label={t('kt.cooperating')} field="cooperating" error={error} grow>
          <select name="cooperating" multiple size={6} value={cooperating} onChange={(e) => setCooperating([...e.target.selectedOptions].map((o) => o.value))}>
            {choices.filter((c) => c.value !== lead).map((c) => <option key={c.value} value={c.value}>{c.label}</option>)}
          </select>
        </Field>
      </div>
      <p className="muted small">{t('kt.form.unitsHint')}</p>
      <ErrorPanel error={error ?? units.error} />
      <button type="submit" className="btn primary" disabled={busy}>{busy ? t('common.saving') : t('kt.form.save')}</button>
    </form>
  );
}

/** A milestone: name, deliverable, the date (to the day, or any day of its week: due on that week's Sunday). */
export function MilestoneForm({ taskId, milestone, onDone }: { taskId: number; milestone?: KtMilestone; onDone: () => void }) {
  const { t } = useI18n();
  const [name, setName] = useState(milestone?.name ?? '');
  const [deliverable, setDeliverable] = useState(milestone?.deliverable ?? '');
  const [dueDate, setDueDate] = useState(milestone?.dueDate ?? '');
  const [granularity, setGranularity] = useState<'day' | 'week'>(milestone?.granularity ?? 'day');
  const { busy, error, run } = useSubmit();
  const send = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      const body = { name, deliverable, dueDate, granularity };
      if (milestone) await updateMilestone(milestone.id, body); else await addMilestone(taskId, body);
      if (!milestone) { setName(''); setDeliverable(''); setDueDate(''); }
      onDone();
    });
  };
  const title = milestone ? t('kt.form.editMilestone') : t('kt.form.newMilestone');
  return (
    <form className="kt-form" onSubmit={send} aria-label={title}>
      <h3>{title}</h3>
      <div className="field-row">
        <Field label={t('kt.form.milestoneName')} field="name" error={error}><input name="name" value={name} maxLength={200} onChange={(e) => setName(e.target.value)} /></Field>
        <Field label={t('kt.deliverable')} field="deliverable" error={error} grow><input name="deliverable" value={deliverable} maxLength={1000} onChange={(e) => setDeliverable(e.target.value)} /></Field>
        <Field label={t('kt.form.dueDate')} field="dueDate" error={error}><input name="dueDate" type="date" value={dueDate} onChange={(e) => setDueDate(e.target.value)} /></Field>
        <Field label={t('kt.form.granularity')} field="granularity" error={error}>
          <select name="granularity" value={granularity} onChange={(e) => setGranularity(e.target.value as 'day' | 'week')}>
            <option value="day">{t('kt.form.byDay')}</option>
            <option value="week">{t('kt.form.byWeek')}</option>
          </select>
        </Field>
      </div>
      <ErrorPanel error={error} />
      <button type="submit" className="btn primary" disabled={busy}>{busy ? t('common.saving') : t('kt.form.save')}</button>
    </form>
  );
}
