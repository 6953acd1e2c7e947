import { useState } from 'react';
import { DEPARTMENT_KINDS, listDepartmentRows, type DepartmentKind } from '../api/departments.ts';
import { useApi, useDebounced } from '../hooks/useApi.ts';
import { useI18n } from '../i18n/index.tsx';
import { useSession } from '../shell/session.tsx';
import { ErrorPanel } from '../components/ErrorPanel.tsx';
import { Pager } from '../components/Pager.tsx';
import { Empty, Loading, PageHeader } from '../components/Status.tsx';
import { DEPARTMENT_KIND_LABEL } from '../labels.ts';
import { DepartmentRow } from './DepartmentRow.tsx';
import { NewDepartmentForm } from './NewDepartmentForm.tsx';

const LIMIT = 50;

/** 部门管理: professional departments, collaborating units and territorial governments, with their territory. */
export function DepartmentsPage() {
  const { t } = useI18n();
  const { can } = useSession();
  const writable = can('department.write');
  const [creating, setCreating] = useState(false);
  const [kind, setKind] = useState<DepartmentKind | ''>('');
  const [status, setStatus] = useState<'' | 'active' | 'inactive'>('');
  const [q, setQ] = useState('');
  const [offset, setOffset] = useState(0);
  const search = useDebounced(q.trim().toLowerCase());
  // Grouped by territory: the city's departments first, then each district's followed by its streets'.
  const rows = useApi((signal) => listDepartmentRows({ kind }, signal)
    .then((items) => items.sort((a, b) => a.territoryCode.localeCompare(b.territoryCode) || a.code.localeCompare(b.code))), [kind]);

  const matching = (rows.data ?? []).filter((d) =>
    (status === '' || (status === 'active') === d.active)
    && (search === '' || [d.code, d.name, d.territoryCode, d.territoryName, d.phone ?? ''].some((v) => v.toLowerCase().includes(search))));
  const page = matching.slice(offset, offset + LIMIT);
  const reset = <T,>(set: (v: T) => void) => (value: T) => { set(value); setOffset(0); };

  return (
    <div className="page">
      <PageHeader title={t('departments.title')}>
        {writable && <button type="button" className={`btn${creating ? ' primary' : ''}`} aria-pressed={creating} onClick={() => setCreating((v) => !v)}>{t('departments.new')}</button>}
      </PageHeader>
      {creating && <NewDepartmentForm onDone={(code) => { setCreating(false); setKind(''); setStatus(''); setQ(code); setOffset(0); rows.reload(); }} />}
      <div className="toolbar">
        <label className="inline-field">
          <span>{t('departments.kind')}</span>
          <select value={kind} onChange={(e) => reset(setKind)(e.target.value as DepartmentKind | '')}>
            <option value="">{t('common.all')}</option>
            {DEPARTMENT_KINDS.map((k) => <option key={k} value={k}>{t(DEPARTMENT_KIND_LABEL[k]!)}</option>)}
          </select>
        </label>
        <label className="inline-field">
          <span>{t('departments.status')}</span>
          <select value={status} onChange={(e) => reset(setStatus)(e.target.value as '' | 'active' | 'inactive')}>
            <option value="">{t('common.all')}</option>
            <option value="active">{t('departments.active')}</option>
            <option value="inactive">{t('departments.inactive')}</option>
          </select>
        </label>
        <label className="inline-field grow">
          <span>{t('common.search')}</span>
          <input type="search" value={q} placeholder={t('departments.searchPlaceholder')} onChange={(e) => reset(setQ)(e.target.value)} />
        </label>
        {rows.loading && <Loading inline />}
      </div>
      <ErrorPanel error={rows.error} />
      {rows.data ? (
        <>
          <table className="grid-table" aria-label={t('departments.title')}>
            <thead>
              <tr>
                <th style={{ width: 150 }}>{t('departments.code')}</th>
                <th>{t('departments.name')}</th>
                <th style={{ width: 110 }}>{t('departments.kind')}</th>
                <th>{t('departments.territory')}</th>
                <th style={{ width: 130 }}>{t('departments.phone')}</th>
                <th style={{ width: 70 }}>{t('departments.status')}</th>
                {writable && <th style={{ width: 130 }} />}
              </tr>
            </thead>
            <tbody>
              {page.map((d) => <DepartmentRow key={d.code} department={d} editable={writable} onSaved={rows.reload} />)}
            </tbody>
          </table>
          {page.length === 0 && <Empty />}
          <Pager total={matching.length} limit={LIMIT} offset={offset} onChange={setOffset} />
        </>
      ) : !rows.error && <Loading />}
    </div>
  );
}
