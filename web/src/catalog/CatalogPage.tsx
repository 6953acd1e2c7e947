import { useState } from 'react';
import { listCatalogVersions, listClasses, type ClassKind } from '../api/catalog.ts';
import { useApi, useDebounced } from '../hooks/useApi.ts';
import { useI18n } from '../i18n/index.tsx';
import { useSession } from '../shell/session.tsx';
import { ErrorPanel } from '../components/ErrorPanel.tsx';
import { Pager } from '../components/Pager.tsx';
import { Empty, Loading, PageHeader } from '../components/Status.tsx';
import { CatalogImport } from './CatalogImport.tsx';
import { CatalogVersions } from './CatalogVersions.tsx';
import { ClassRow } from './ClassRow.tsx';
import { NewClassForm } from './NewClassForm.tsx';

const LIMIT = 50;
type Panel = 'versions' | 'import' | 'new' | null;

/** 部件事项目录: the GB/T 47678.5 classes plus local extensions, filtered and paged; the administrator imports and extends it. */
export function CatalogPage() {
  const { t, num } = useI18n();
  const { can } = useSession();
  const writable = can('catalog.write');
  const [panel, setPanel] = useState<Panel>(null);
  const [kind, setKind] = useState<ClassKind | ''>('');
  const [major, setMajor] = useState('');
  const [q, setQ] = useState('');
  const [offset, setOffset] = useState(0);
  const search = useDebounced(q.trim());
  const majorInput = useDebounced(major.trim());
  // The server takes a two-digit major code (01–05 components, 06–10 matters, 11+ local).
  const majorValid = majorInput === '' || /^\d{2}$/.test(majorInput);
  const majorCode = majorValid ? majorInput : '';

  const classes = useApi((signal) => listClasses({ kind, major: majorCode, q: search, limit: LIMIT, offset }, signal), [kind, majorCode, search, offset]);
  const versions = useApi((signal) => listCatalogVersions(signal), []);
  const current = versions.data?.find((v) => v.status === 'active');

  const filter = <T,>(set: (v: T) => void) => (value: T) => { set(value); setOffset(0); };
  const toggle = (p: Panel) => setPanel((open) => (open === p ? null : p));
  const panelButton = (p: Exclude<Panel, null>, label: string) => (
    <button type="button" className={`btn${panel === p ? ' primary' : ''}`} aria-pressed={panel === p} onClick={() => toggle(p)}>{label}</button>
  );

  return (
    <div className="page">
      <PageHeader title={t('catalog.title')}>
        {current && (
          <span className="muted small">
            {t('catalog.version')}: {current.name} <span className="mono">({current.code})</span>
          </span>
        )}
        {panelButton('versions', t('catalogVersion.title'))}
        {writable && panelButton('import', t('catalogImport.title'))}
        {writable && panelButton('new', t('catalogClass.new'))}
      </PageHeader>
      {panel === 'versions' && (versions.data ? <CatalogVersions versions={versions.data} onChanged={() => { versions.reload(); classes.reload(); }} /> : <ErrorPanel error={versions.error} />)}
      {panel === 'import' && versions.data && <CatalogImport versions={versions.data} onDone={() => { versions.reload(); classes.reload(); }} />}
      {panel === 'new' && <NewClassForm onDone={(code) => { setPanel(null); setKind(''); setMajor(''); setQ(code); setOffset(0); classes.reload(); }} />}
      <div className="toolbar">
        <label className="inline-field">
          <span>{t('catalog.kind')}</span>
          <select value={kind} onChange={(e) => filter(setKind)(e.target.value as ClassKind | '')}>
            <option value="">{t('common.all')}</option>
            <option value="component">{t('kind.component')}</option>
            <option value="matter">{t('kind.matter')}</option>
          </select>
        </label>
        <label className="inline-field">
          <span>{t('catalog.major')}</span>
          <input className="short" value={major} maxLength={2} placeholder={t('catalog.majorPlaceholder')} onChange={(e) => filter(setMajor)(e.target.value)} />
        </label>
        {!majorValid && <span className="field-hint">{t('catalog.majorHint')}</span>}
        <label className="inline-field grow">
          <span>{t('common.search')}</span>
          <input type="search" value={q} placeholder={t('catalog.searchPlaceholder')} onChange={(e) => filter(setQ)(e.target.value)} />
        </label>
        {classes.loading && <Loading inline />}
      </div>
      <ErrorPanel error={classes.error} />
      {classes.data && (
        <>
          <table className="grid-table" aria-label={t('catalog.title')}>
            <thead>
              <tr>
                <th style={{ width: 110 }}>{t('catalog.code')}</th>
                <th>{t('catalog.name')}</th>
                <th style={{ width: 70 }}>{t('catalog.kind')}</th>
                <th>{t('catalog.major')}</th>
                <th style={{ width: 90 }}>{t('catalog.origin')}</th>
                <th>{t('catalog.sourceNote')}</th>
                <th style={{ width: 60 }}>{t('catalog.active')}</th>
                {writable && <th style={{ width: 70 }} />}
              </tr>
            </thead>
            <tbody>
              {classes.data.items.map((c) => <ClassRow key={c.id} c={c} editable={writable} onSaved={classes.reload} />)}
            </tbody>
          </table>
          {classes.data.items.length === 0 && <Empty />}
          <Pager total={classes.data.total} limit={LIMIT} offset={offset} onChange={setOffset} />
        </>
      )}
      {!classes.data && !classes.error && <Loading />}
      <div className="muted small footnote">{t('catalog.footnote', { n: num(classes.data?.total ?? 0) })}</div>
    </div>
  );
}
