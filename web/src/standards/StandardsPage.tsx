import { useState } from 'react';
import { listCaseStandards, type CaseStandard, type Urgency } from '../api/catalog.ts';
import { useApi, useDebounced } from '../hooks/useApi.ts';
import { useI18n, type MessageKey } from '../i18n/index.tsx';
import { ErrorPanel } from '../components/ErrorPanel.tsx';
import { Pager } from '../components/Pager.tsx';
import { Empty, Loading, PageHeader } from '../components/Status.tsx';
import { CsvImport } from '../components/CsvImport.tsx';
import { useSession } from '../shell/session.tsx';
import { listDepartments } from '../api/users.ts';
import { isTimeLimitUnit, UNIT_LABEL } from '../labels.ts';
import { DepartmentRule } from './DepartmentRule.tsx';

const LIMIT = 50;
const URGENCY: Record<Urgency, MessageKey> = { extra_urgent: 'urgency.extra_urgent', urgent: 'urgency.urgent', normal: 'urgency.normal' };

/** 立结案标准: one row per small class (optionally per territory) with conditions and time limit. */
export function StandardsPage() {
  const { t, lang } = useI18n();
  const { can } = useSession();
  const [classCode, setClassCode] = useState('');
  const [offset, setOffset] = useState(0);
  const code = useDebounced(classCode.trim());
  const rows = useApi((signal) => listCaseStandards({ classCode: code, limit: LIMIT, offset }, signal), [code, offset]);
  // Names for the department rules; a user without department.read just sees the codes.
  const departments = useApi((signal) => listDepartments(signal).then((r) => r.items, () => []), []);
  const limitLabel = (s: CaseStandard) =>
    lang === 'zh' || !isTimeLimitUnit(s.limit.unit) ? s.limitLabel : `${s.limit.value} ${t(UNIT_LABEL[s.limit.unit])}`;

  return (
    <div className="page">
      <PageHeader title={t('standards.title')} />
      {can('case_standard.write') && <CsvImport path="/api/case-standards/import" onDone={rows.reload} />}
      <div className="toolbar">
        <label className="inline-field">
          <span>{t('standards.classCode')}</span>
          <input value={classCode} placeholder={t('standards.classCodePlaceholder')} onChange={(e) => { setClassCode(e.target.value); setOffset(0); }} />
        </label>
        <span className="legend-inline">
          {(['extra_urgent', 'urgent', 'normal'] as Urgency[]).map((u) => <span key={u} className={`urgency urgency-${u}`}>{t(URGENCY[u])}</span>)}
        </span>
        {rows.loading && <Loading inline />}
      </div>
      <ErrorPanel error={rows.error} />
      {rows.data ? (
        <>
          <table className="grid-table wrap">
            <thead>
              <tr>
                <th style={{ width: 170 }}>{t('standards.class')}</th>
                <th>{t('standards.disposal')}</th>
                <th>{t('standards.registration')}</th>
                <th>{t('standards.closing')}</th>
                <th style={{ width: 150 }}>{t('standards.department')}</th>
                <th style={{ width: 70 }}>{t('standards.urgency')}</th>
                <th style={{ width: 100 }}>{t('standards.limit')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.data.items.map((s) => (
                <tr key={s.id}>
                  <td>
                    <div>{s.className}</div>
                    <div className="mono muted small">{s.classCode}{s.territoryCode ? ` · ${t('standards.territory')} ${s.territoryCode}` : ''}</div>
                  </td>
                  <td>{s.disposal ?? ''}</td>
                  <td>{s.registrationCondition ?? ''}</td>
                  <td>{s.closingCondition ?? ''}</td>
                  <td><DepartmentRule rule={s.departmentRule} departments={departments.data ?? []} /></td>
                  <td><span className={`urgency urgency-${s.urgency}`}>{URGENCY[s.urgency] ? t(URGENCY[s.urgency]) : s.urgency}</span></td>
                  <td className="nowrap"><strong>{limitLabel(s)}</strong></td>
                </tr>
              ))}
            </tbody>
          </table>
          {rows.data.items.length === 0 && <Empty />}
          <Pager total={rows.data.total} limit={LIMIT} offset={offset} onChange={setOffset} />
        </>
      ) : !rows.error && <Loading />}
    </div>
  );
}
