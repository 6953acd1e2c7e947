import { useState } from 'react';
import { listApiKeys, revokeApiKey, type ApiKeyRow } from '../api/api-keys.ts';
import { useApi } from '../hooks/useApi.ts';
import { useI18n } from '../i18n/index.tsx';
import { useSession } from '../shell/session.tsx';
import { ErrorPanel } from '../components/ErrorPanel.tsx';
import { Empty, Loading, PageHeader } from '../components/Status.tsx';
import { NewKeyForm, SecretOnce } from './NewKeyForm.tsx';
import { useSubmit } from '../hooks/useSubmit.ts';

/**
 * 接口密钥: the API keys of Open311 clients and 12345 hotline integrations (GET/POST /api/api-keys,
 * DELETE /api/api-keys/:id). A new key's secret is shown once; a revoked key is refused from then on.
 */
export function ApiKeysPage() {
  const { t } = useI18n();
  const { can } = useSession();
  const canWrite = can('api_key.write');
  const keys = useApi((signal) => listApiKeys(signal), []);
  const [creating, setCreating] = useState(false);
  const [issued, setIssued] = useState<{ id: number; key: string; name: string } | null>(null);

  return (
    <div className="page">
      <PageHeader title={t('apiKeys.title')}>
        {canWrite && <button type="button" className="btn" onClick={() => setCreating((v) => !v)}>{t('apiKeys.new')}</button>}
      </PageHeader>
      <div className="notice info small">{t('apiKeys.intro')}</div>
      {creating && canWrite && (
        <NewKeyForm onIssued={(result) => { setCreating(false); setIssued(result); keys.reload(); }} />
      )}
      {issued && <SecretOnce name={issued.name} secret={issued.key} onDone={() => setIssued(null)} />}
      <ErrorPanel error={keys.error} />
      {keys.data ? (
        keys.data.items.length === 0 ? <Empty>{t('apiKeys.none')}</Empty> : (
          <table className="grid-table" aria-label={t('apiKeys.title')}>
            <thead>
              <tr>
                <th style={{ width: 110 }}>{t('apiKeys.prefix')}</th>
                <th>{t('apiKeys.name')}</th>
                <th>{t('apiKeys.client')}</th>
                <th style={{ width: 150 }}>{t('apiKeys.createdAt')}</th>
                <th style={{ width: 150 }}>{t('apiKeys.lastUsedAt')}</th>
                <th style={{ width: 170 }}>{t('apiKeys.status')}</th>
                {canWrite && <th style={{ width: 150 }} />}
              </tr>
            </thead>
            <tbody>
              {keys.data.items.map((k) => <KeyRow key={k.id} row={k} canWrite={canWrite} onRevoked={keys.reload} />)}
            </tbody>
          </table>
        )
      ) : !keys.error && <Loading />}
    </div>
  );
}

function KeyRow({ row, canWrite, onRevoked }: { row: ApiKeyRow; canWrite: boolean; onRevoked: () => void }) {
  const { t, lang } = useI18n();
  const [confirming, setConfirming] = useState(false);
  const { busy, error, setError, run } = useSubmit();
  const when = (ms: number | null) => (ms === null ? '—' : new Date(Number(ms)).toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-GB', { timeZone: 'Asia/Shanghai', hourCycle: 'h23' }));
  const revoke = async () => {
    await run(async () => {
      await revokeApiKey(row.id);
      setConfirming(false);
      onRevoked();
    });
  };
  return (
    <tr className={row.revokedAt === null ? '' : 'inactive'}>
      <td className="mono">{row.prefix}…</td>
      <td>{row.name}</td>
      <td>{row.client}</td>
      <td className="nowrap">{when(row.createdAt)}</td>
      <td className="nowrap">{when(row.lastUsedAt)}</td>
      <td>
        {row.revokedAt === null
          ? <span className="badge ok">{t('apiKeys.active')}</span>
          : <span className="badge plain">{t('apiKeys.revokedAt', { when: when(row.revokedAt) })}</span>}
      </td>
      {canWrite && (
        <td className="nowrap">
          {row.revokedAt === null && !confirming && (
            <button type="button" className="link-btn" aria-label={t('apiKeys.revokeOf', { name: row.name })} onClick={() => setConfirming(true)}>{t('apiKeys.revoke')}</button>
          )}
          {confirming && (
            <>
              <button type="button" className="btn small primary" disabled={busy} onClick={revoke}>{t('apiKeys.confirmRevoke')}</button>{' '}
              <button type="button" className="btn small" disabled={busy} onClick={() => setConfirming(false)}>{t('calendarEdit.cancel')}</button>
            </>
          )}
          <ErrorPanel error={error} />
        </td>
      )}
    </tr>
  );
}
