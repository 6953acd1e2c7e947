import { useState } from 'react';
import { activateCatalogVersion, type ActivationReport, type CatalogVersion } from '../api/catalog.ts';
import { useI18n } from '../i18n/index.tsx';
import { useSession } from '../shell/session.tsx';
import { useSubmit } from '../hooks/useSubmit.ts';
import { ErrorPanel } from '../components/ErrorPanel.tsx';
import { statusKey, VERSION_STATUS } from './CatalogImport.tsx';

/** Every catalog version: exactly one in use, drafts being imported, retired ones kept for old cases. */
export function CatalogVersions({ versions, onChanged }: { versions: readonly CatalogVersion[]; onChanged: () => void }) {
  const { t } = useI18n();
  const { can } = useSession();
  const { busy, error, run } = useSubmit();
  const [confirming, setConfirming] = useState<string | null>(null);
  const [report, setReport] = useState<ActivationReport | null>(null);
  const activate = (code: string) => run(async () => { setReport(await activateCatalogVersion(code)); setConfirming(null); onChanged(); });
  const when = (ms: number | null) => (ms === null ? '—' : new Date(ms).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false }));
  return (
    <>
    {report && (
      <div className="notice" role="status">
        {t('catalogVersion.activated', { version: report.version, standards: report.standardsCarried, components: report.componentsMoved })}
        {report.leftBehind.length > 0 && <> {t('catalogVersion.leftBehind', { codes: report.leftBehind.join('、') })}</>}
      </div>
    )}
    <ErrorPanel error={error} />
    <table className="grid-table compact" aria-label={t('catalogVersion.title')} style={{ marginBottom: 10 }}>
      <thead>
        <tr>
          <th>{t('catalogVersion.code')}</th>
          <th>{t('catalogVersion.name')}</th>
          <th>{t('catalogVersion.standard')}</th>
          <th>{t('catalogVersion.status')}</th>
          <th>{t('catalogVersion.createdAt')}</th>
          <th>{t('catalogVersion.activatedAt')}</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {versions.map((v) => (
          <tr key={v.id} className={v.status === 'retired' ? 'inactive' : ''}>
            <td className="mono">{v.code}</td>
            <td>{v.name}</td>
            <td>{v.standard ?? ''}</td>
            <td><span className={`badge ${v.status === 'active' ? 'ok' : v.status === 'draft' ? 'warn' : 'plain'}`}>{t(VERSION_STATUS[statusKey(v.status)])}</span></td>
            <td className="nowrap">{when(v.createdAt)}</td>
            <td className="nowrap">{when(v.activatedAt)}</td>
            <td>
              {v.status !== 'active' && can('catalog.write') && (confirming === v.code
                ? <button type="button" className="btn danger" disabled={busy} onClick={() => void activate(v.code)}>{t('catalogVersion.confirmActivate')}</button>
                : <button type="button" className="btn" onClick={() => setConfirming(v.code)}>{t('catalogVersion.activate')}</button>)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
    </>
  );
}
