import { useState } from 'react';
import { listCatalogVersions, listClasses, type ClassKind } from '../api/catalog.ts';
import { useApi, useDebounced } from '../hooks/useApi.ts';
import { useI18n } from '../i18n/index.tsx';
import { ErrorPanel } from '../components/ErrorPanel.tsx';
import { Pager } from '../components/Pager.tsx';
import { Empty, Loading, PageHeader } from '../components/Status.tsx';
import { OriginBadge } from './OriginBadge.tsx';

const LIMIT = 50;

/** 部件事项目录: the GB/T 47678.5 classes plus local extensions, filtered and paged. */
export function CatalogPage() {
  const { t, num } = useI18n();
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
  const versions = useApi((signal) => listCatalogVersions(signal).catch(() => []), []);
  const current = versions.data?.find((v) => v.status === 'active');

  const filter = <T,>(set: (v: T) => void) => (value: T) => { set(value); setOffset(0); };

  return (
    <div className="page">
      <PageHeader title={t('catalog.title')}>
        {current && (
          <span className="muted small">
            {t('catalog.version')}: {current.name} <span className="mono">({current.code})</span>
          </span>
        )}
      </PageHeader>
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
          <table className="grid-table">
            <thead>
              <tr>
                <th style={{ width: 110 }}>{t('catalog.code')}</th>
                <th>{t('catalog.name')}</th>
                <th style={{ width: 70 }}>{t('catalog.kind')}</th>
                <th>{t('catalog.major')}</th>
                <th style={{ width: 90 }}>{t('catalog.origin')}</th>
                <th>{t('catalog.sourceNote')}</th>
                <th style={{ width: 60 }}>{t('catalog.active')}</th>
              </tr>
            </thead>
            <tbody>
              {classes.data.items.map((c) => (
                <tr key={c.id} className={c.active ? '' : 'inactive'}>
                  <td className="mono">{c.code}</td>
                  <td>{c.name}</td>
                  <td>{t(c.kind === 'component' ? 'kind.component' : 'kind.matter')}</td>
                  <td><span className="mono muted">{c.majorCode}</span> {c.majorName}</td>
                  <td><OriginBadge origin={c.origin} note={c.sourceNote} /></td>
                  <td className="small muted">
                    {c.componentCode && <span className="mono">{t('catalog.derivedFrom')} {c.componentCode} </span>}
                    {c.sourceNote ?? ''}
                  </td>
                  <td>{c.active ? t('common.yes') : t('common.no')}</td>
                </tr>
              ))}
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
