import type { CatalogVersion } from '../api/catalog.ts';
import { useI18n } from '../i18n/index.tsx';
import { statusKey, VERSION_STATUS } from './CatalogImport.tsx';

/** Every catalog version: exactly one in use, drafts being imported, retired ones kept for old cases. */
export function CatalogVersions({ versions }: { versions: readonly CatalogVersion[] }) {
  const { t } = useI18n();
  const when = (ms: number | null) => (ms === null ? '—' : new Date(ms).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false }));
  return (
    <table className="grid-table compact" aria-label={t('catalogVersion.title')} style={{ marginBottom: 10 }}>
      <thead>
        <tr>
          <th>{t('catalogVersion.code')}</th>
          <th>{t('catalogVersion.name')}</th>
          <th>{t('catalogVersion.standard')}</th>
          <th>{t('catalogVersion.status')}</th>
          <th>{t('catalogVersion.createdAt')}</th>
          <th>{t('catalogVersion.activatedAt')}</th>
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
          </tr>
        ))}
      </tbody>
    </table>
  );
}
