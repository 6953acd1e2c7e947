import { Fragment, useState } from 'react';
import { listCaseStandards, type CaseStandard, type Urgency } from '../api/catalog.ts';
import { useApi, useDebounced } from '../hooks/useApi.ts';
import { useI18n } from '../i18n/index.tsx';
import { ErrorPanel } from '../components/ErrorPanel.tsx';
import { Pager } from '../components/Pager.tsx';
import { Empty, Loading, PageHeader } from '../components/Status.tsx';
import { CsvImport } from '../components/CsvImport.tsx';
import { useSession } from '../shell/session.tsx';
import { listDepartments } from '../api/users.ts';
import { navigate, useRoute } from '../router.ts';
import { isTimeLimitUnit, UNIT_LABEL } from '../labels.ts';
import { DepartmentRule } from './DepartmentRule.tsx';
import { StandardForm } from './StandardForm.tsx';
import { StageLimits } from './StageLimits.tsx';
import { URGENCY } from './urgency.ts';

const LIMIT = 50;

/** 立结案标准 (one row per small class, optionally per territory) and, on a second tab, the stages' time limits. */
export function StandardsPage() {
  const { t } = useI18n();
  const route = useRoute();
  const tab = route.params.get('tab') === 'stages' ? 'stages' : 'standards';
  const tabButton = (key: 'standards' | 'stages', label: string) => (
    <button type="button" role="tab" aria-selected={tab === key} className={tab === key ? 'active' : ''} onClick={() => navigate('/standards', key === 'stages' ? { tab: key } : undefined)}>{label}</button>
  );
  return (
    <div className="page">
      <PageHeader title={t('standards.title')}>
        <div className="segmented" role="tablist">
          {tabButton('standards', t('standards.title'))}
          {tabButton('stages', t('stageLimits.title'))}
        </div>
      </PageHeader>
      {tab === 'stages' ? <StageLimits /> : <StandardsTable />}
    </div>
  );
}

function StandardsTable() {
  const { t, lang } = useI18n();
  const { can } = useSession();
  const writable = can('case_standard.write');
  const [classCode, setClassCode] = useState('');
  const [offset, setOffset] = useState(0);
  const [editing, setEditing] = useState<number | null>(null);
  const code = useDebounced(classCode.trim());
  const rows = useApi((signal) => listCaseStandards({ classCode: code, limit: LIMIT, offset }, signal), [code, offset]);
  // Names for the department rules; a user without department.read just sees the codes.
  const departments = useApi((signal) => listDepartments(signal).then((r) => r.items, () => []), []);
  const limitLabel = (s: CaseStandard) =>
    lang === 'zh' || !isTimeLimitUnit(s.limit.unit) ? s.limitLabel : `${s.limit.value} ${t(UNIT_LABEL[s.limit.unit])}`;
  const columns = writable ? 8 : 7;

  return (
    <>
      {writable && <CsvImport path="/api/case-standards/import" onDone={rows.reload} />}
      <div className="toolbar">
        <label className="inline-field">
          <span>{t('standards.classCode')}</span>
          <input value={classCode} placeholder={t('standards.classCodePlaceholder')} onChange={(e) => { setClassCode(e.target.value); setOffset(0); setEditing(null); }} />
        </label>
        <span className="legend-inline">
          {(['extra_urgent', 'urgent', 'normal'] as Urgency[]).map((u) => <span key={u} className={`urgency urgency-${u}`}>{t(URGENCY[u])}</span>)}
        </span>
        {rows.loading && <Loading inline />}
      </div>
      <ErrorPanel error={rows.error} />
      {rows.data ? (
        <>
          <table className="grid-table wrap" aria-label={t('standards.title')}>
            <thead>
              <tr>
                <th style={{ width: 170 }}>{t('standards.class')}</th>
                <th>{t('standards.disposal')}</th>
                <th>{t('standards.registration')}</th>
                <th>{t('standards.closing')}</th>
                <th style={{ width: 150 }}>{t('standards.department')}</th>
                <th style={{ width: 70 }}>{t('standards.urgency')}</th>
                <th style={{ width: 100 }}>{t('standards.limit')}</th>
                {writable && <th style={{ width: 60 }} />}
              </tr>
            </thead>
            <tbody>
              {rows.data.items.map((s) => (
                <Fragment key={s.id}>
                  <tr data-standard={s.id}>
                    <td>
                      <div>{s.className}</div>
                      <div className="mono muted small">{s.classCode}{s.territoryCode ? ` · ${t('standards.territory')} ${s.territoryCode}` : ''}</div>
                    </td>
                    <td>{s.disposal ?? ''}</td>
                    <td>{s.registrationCondition ?? ''}</td>
                    <td>{s.closingCondition ?? ''}</td>
                    <td><DepartmentRule rule={s.departmentRule} departments={departments.data ?? []} /></td>
                    <td><span className={`urgency urgency-${s.urgency}`}>{URGENCY[s.urgency] ? t(URGENCY[s.urgency]) : s.urgency}</span></td>
                    <td className="nowrap" data-testid="limit"><strong>{limitLabel(s)}</strong></td>
                    {writable && (
                      <td>
                        <button type="button" className="btn small" aria-label={t('standardEdit.editOf', { code: s.classCode, disposal: s.disposal ?? '' })} onClick={() => setEditing(editing === s.id ? null : s.id)}>
                          {editing === s.id ? t('basedata.cancel') : t('basedata.edit')}
                        </button>
                      </td>
                    )}
                  </tr>
                  {editing === s.id && (
                    <tr>
                      <td colSpan={columns}>
                        <StandardForm row={s} departments={departments.data ?? []} onCancel={() => setEditing(null)} onSaved={() => { setEditing(null); rows.reload(); }} />
                      </td>
                    </tr>
                  )}
                </Fragment>
              ))}
            </tbody>
          </table>
          {rows.data.items.length === 0 && <Empty />}
          <Pager total={rows.data.total} limit={LIMIT} offset={offset} onChange={(o) => { setOffset(o); setEditing(null); }} />
        </>
      ) : !rows.error && <Loading />}
    </>
  );
}
