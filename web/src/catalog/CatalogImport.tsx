import { useState } from 'react';
import { importCatalog, type CatalogVersion } from '../api/catalog.ts';
import { useI18n, type MessageKey } from '../i18n/index.tsx';
import { ErrorPanel } from '../components/ErrorPanel.tsx';

const NEW_VERSION = '';

/**
 * Imports a catalog CSV into a version, all or nothing: by default into the version in use (rows with a known
 * kind and code are updated, others added); a new version code starts a draft unless "activate" is ticked.
 */
export function CatalogImport({ versions, onDone }: { versions: readonly CatalogVersion[]; onDone: () => void }) {
  const { t } = useI18n();
  const active = versions.find((v) => v.status === 'active');
  const [file, setFile] = useState<File | null>(null);
  const [target, setTarget] = useState<string | null>(null);
  const [newCode, setNewCode] = useState('');
  const [newName, setNewName] = useState('');
  const [derive, setDerive] = useState(true);
  const [activate, setActivate] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const [done, setDone] = useState<string | null>(null);

  const version = target ?? active?.code ?? NEW_VERSION;
  const isNew = version === NEW_VERSION;
  const chosen = versions.find((v) => v.code === version);
  const code = isNew ? newCode.trim() : version;

  const run = async () => {
    if (!file || !code) return;
    setBusy(true);
    setError(undefined);
    setDone(null);
    try {
      const result = await importCatalog(await file.text(), {
        version: code, name: isNew ? newName.trim() || undefined : undefined, derive, activate: chosen?.status === 'active' || activate,
      });
      setDone(t('catalogImport.done', { version: result.version, created: result.created, updated: result.updated }));
      onDone();
    } catch (cause) {
      setError(cause);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="action-form" aria-label={t('catalogImport.title')}>
      <strong>{t('catalogImport.title')}</strong>
      <div className="muted small">{t('catalogImport.help')}</div>
      <div className="toolbar">
        <label className="inline-field">
          <span>{t('catalogImport.version')}</span>
          <select value={version} onChange={(e) => { setTarget(e.target.value); setActivate(false); }}>
            {versions.map((v) => <option key={v.id} value={v.code}>{v.name} ({v.code}) · {t(VERSION_STATUS[statusKey(v.status)])}</option>)}
            <option value={NEW_VERSION}>{t('catalogImport.newVersion')}</option>
          </select>
        </label>
        {isNew && (
          <>
            <label className="inline-field"><span>{t('catalogImport.newCode')}</span><input value={newCode} maxLength={40} onChange={(e) => setNewCode(e.target.value)} /></label>
            <label className="inline-field"><span>{t('catalogImport.newName')}</span><input value={newName} maxLength={80} onChange={(e) => setNewName(e.target.value)} /></label>
          </>
        )}
        <label className="inline-field"><input type="checkbox" checked={derive} onChange={(e) => setDerive(e.target.checked)} /><span>{t('catalogImport.derive')}</span></label>
        {chosen?.status !== 'active' && (
          <label className="inline-field"><input type="checkbox" checked={activate} onChange={(e) => setActivate(e.target.checked)} /><span>{t('catalogImport.activate')}</span></label>
        )}
      </div>
      {chosen?.status !== 'active' && activate && <div className="notice warn">{t('catalogImport.activateWarning')}</div>}
      <div className="toolbar">
        <input type="file" accept=".csv,text/csv" aria-label={t('import.csvFile')} onChange={(e) => { setFile(e.target.files?.[0] ?? null); setDone(null); setError(undefined); }} />
        <button type="button" className="btn primary" disabled={!file || !code || busy} onClick={() => void run()}>{busy ? t('import.running') : t('import.run')}</button>
        {done && <span className="badge ok" role="status">{done}</span>}
      </div>
      <ErrorPanel error={error} title={t('import.failed')} />
    </section>
  );
}

export const VERSION_STATUS: Record<'active' | 'draft' | 'retired', MessageKey> = {
  active: 'catalogVersion.active', draft: 'catalogVersion.draft', retired: 'catalogVersion.retired',
};

export function statusKey(status: string): 'active' | 'draft' | 'retired' {
  return status === 'active' || status === 'draft' ? status : 'retired';
}
