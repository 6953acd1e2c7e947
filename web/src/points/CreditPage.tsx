import { useState, type FormEvent } from 'react';
import { beijingYearNow, createCreditSubject, downloadCreditReport, listCreditSubjects } from '../api/points.ts';
import { useApi } from '../hooks/useApi.ts';
import { useSubmit } from '../hooks/useSubmit.ts';
import { useI18n, type MessageKey } from '../i18n/index.tsx';
import { Link, navigate, useRoute } from '../router.ts';
import { useSession } from '../shell/session.tsx';
import { ErrorPanel } from '../components/ErrorPanel.tsx';
import { Empty, Loading, PageHeader } from '../components/Status.tsx';
import { CREDIT_KINDS, CreditLevelBadge, Tabs, YearSelect } from './parts.tsx';
import { CreditSubjectView } from './CreditSubject.tsx';
import { CreditAppeals } from './CreditAppeals.tsx';
import { RulesEditor } from './RulesEditor.tsx';

type Tab = 'subjects' | 'appeals' | 'rules';

/** 信用积分 for the office and leaders: the register with each subject's score and level, a subject's record, the appeals, the rules. */
export function CreditPage() {
  const { t } = useI18n();
  const { can } = useSession();
  const route = useRoute();
  const manage = can('credit.manage');
  const year = Number(route.params.get('year') ?? beijingYearNow());
  const subject = Number(route.params.get('subject') ?? 0);
  const tab = (['subjects', 'appeals', 'rules'] as Tab[]).find((x) => x === route.params.get('tab')) ?? 'subjects';
  const download = useSubmit();
  if (subject) return <CreditSubjectView id={subject} year={year} manage={manage} />;
  return (
    <div className="page">
      <PageHeader title={t('credit.title')}>
        <YearSelect year={year} onChange={(y) => navigate('/credit', { year: y, tab })} />
        <button type="button" className="btn" disabled={download.busy} onClick={() => download.run(() => downloadCreditReport(year, 'xlsx'))}>{t('pts.download.xlsx')}</button>
        <button type="button" className="btn" disabled={download.busy} onClick={() => download.run(() => downloadCreditReport(year, 'pdf'))}>{t('pts.download.pdf')}</button>
      </PageHeader>
      <ErrorPanel error={download.error} />
      <Tabs label={t('credit.title')} current={tab} onChange={(x) => navigate('/credit', { year, tab: x })}
        tabs={[['subjects', t('credit.tab.subjects')], ['appeals', t('credit.tab.appeals')], ['rules', t('credit.tab.rules')]]} />
      {tab === 'subjects' && <Register year={year} manage={manage} />}
      {tab === 'appeals' && <CreditAppeals manage={manage} />}
      {/* Saving a rule set takes points.manage (PUT /api/points/rules/:code), whichever ledger. */}
      {tab === 'rules' && <RulesEditor ledger="credit" manage={can('points.manage')} />}
    </div>
  );
}

function Register({ year, manage }: { year: number; manage: boolean }) {
  const { t } = useI18n();
  const [kind, setKind] = useState('');
  const list = useApi((signal) => listCreditSubjects(year, kind, signal), [year, kind]);
  return (
    <>
      <div className="toolbar">
        <label className="inline-field"><span>{t('credit.kind')}</span>
          <select value={kind} onChange={(e) => setKind(e.target.value)}>
            <option value="">{t('credit.kind.all')}</option>
            {CREDIT_KINDS.map((k) => <option key={k} value={k}>{t(`credit.kind.${k}`)}</option>)}
          </select>
        </label>
        {list.loading && <Loading inline />}
      </div>
      <ErrorPanel error={list.error} />
      {list.data && (list.data.items.length === 0 ? <Empty>{t('credit.none')}</Empty> : (
        <table className="grid-table compact" aria-label={t('credit.tab.subjects')}>
          <thead><tr><th>{t('credit.name')}</th><th>{t('credit.code')}</th><th>{t('credit.kind')}</th><th>{t('credit.territory')}</th><th>{t('credit.area')}</th><th>{t('credit.contact')}</th><th className="num">{t('credit.score')}</th><th>{t('credit.level')}</th><th className="num">{t('credit.entries')}</th></tr></thead>
          <tbody>{list.data.items.map((s) => (
            <tr key={s.id} className={s.active ? undefined : 'muted'}>
              <td><Link to="/credit" params={{ subject: s.id, year }}>{s.name}</Link>{!s.active && <span className="badge plain">{t('credit.inactive')}</span>}</td>
              <td className="mono">{s.creditCode}</td><td>{t(`credit.kind.${s.kind}` as MessageKey)}</td><td>{s.territory ?? '—'}</td><td>{s.area?.name ?? '—'}</td>
              <td>{s.contact.name ?? '—'}{s.contact.phone && <div className="muted small">{s.contact.phone}</div>}</td>
              <td className="num strong">{s.score ?? '—'}</td><td><CreditLevelBadge level={s.level} /></td><td className="num">{s.entries}</td>
            </tr>
          ))}</tbody>
        </table>
      ))}
      {manage && <NewSubject onDone={list.reload} />}
    </>
  );
}

function NewSubject({ onDone }: { onDone: () => void }) {
  const { t } = useI18n();
  const empty = { kind: 'frontage_shop', name: '', creditCode: '', address: '', areaCode: '', contactName: '', contactPhone: '' };
  const [form, setForm] = useState(empty);
  const [done, setDone] = useState<string | null>(null);
  const { busy, error, run } = useSubmit();
  const set = (key: keyof typeof empty) => (e: { target: { value: string } }) => setForm({ ...form, [key]: e.target.value });
  const send = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      setDone(null);
      await createCreditSubject({
        kind: form.kind, name: form.name, creditCode: form.creditCode.trim().toUpperCase(), address: form.address || null, areaCode: form.areaCode.trim() || null,
        contactName: form.contactName || null, contactPhone: form.contactPhone || null,
      });
      setDone(t('credit.new.done', { name: form.name }));
      setForm(empty);
      onDone();
    });
  };
  return (
    <form className="card" onSubmit={send} aria-label={t('credit.new')}>
      <h2>{t('credit.new')}</h2>
      <div className="field-row">
        <label className="field"><span>{t('credit.kind')}</span>
          <select name="kind" value={form.kind} onChange={set('kind')}>{CREDIT_KINDS.map((k) => <option key={k} value={k}>{t(`credit.kind.${k}`)}</option>)}</select>
        </label>
        <label className="field"><span>{t('credit.name')}</span><input name="name" value={form.name} onChange={set('name')} /></label>
        <label className="field"><span>{t('credit.code')}</span><input name="creditCode" className="mono" maxLength={18} placeholder={t('credit.code.hint')} value={form.creditCode} onChange={set('creditCode')} /></label>
      </div>
      <div className="field-row">
        <label className="field"><span>{t('credit.address')}</span><input name="address" value={form.address} onChange={set('address')} /></label>
        <label className="field"><span>{t('credit.area')}</span><input name="areaCode" className="mono" value={form.areaCode} disabled={form.kind === 'muck_transport'} onChange={set('areaCode')} /></label>
        <label className="field"><span>{t('credit.contact')}</span><input name="contactName" value={form.contactName} onChange={set('contactName')} /></label>
        <label className="field"><span>{t('credit.phone')}</span><input name="contactPhone" value={form.contactPhone} onChange={set('contactPhone')} /></label>
      </div>
      <p className="muted small">{t('credit.area.hint')}</p>
      <ErrorPanel error={error} />
      {done && <p className="badge ok" role="status">{done}</p>}
      <button type="submit" className="btn primary" disabled={busy}>{t('credit.new.send')}</button>
    </form>
  );
}
