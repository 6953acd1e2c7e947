import { useRef, useState, type FormEvent } from 'react';
import { createApiKey } from '../api/api-keys.ts';
import { useI18n } from '../i18n/index.tsx';
import { ErrorPanel } from '../components/ErrorPanel.tsx';
import { useSubmit } from '../hooks/useSubmit.ts';

/** Issues a key for a client app (name: what it is for; client: the app or system that will hold it). */
export function NewKeyForm({ onIssued }: { onIssued: (issued: { id: number; key: string; name: string }) => void }) {
  const { t } = useI18n();
  const [name, setName] = useState('');
  const [client, setClient] = useState('');
  const { busy, error, setError, run } = useSubmit();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    await run(async () => {
      const result = await createApiKey({ name: name.trim(), client: client.trim() });
      onIssued({ ...result, name: name.trim() });
    });
  };
  return (
    <form className="action-form" onSubmit={submit} aria-label={t('apiKeys.new')}>
      <div className="toolbar" style={{ margin: 0 }}>
        <label className="inline-field grow"><span>{t('apiKeys.name')}</span><input value={name} placeholder={t('apiKeys.nameHint')} onChange={(e) => setName(e.target.value)} /></label>
        <label className="inline-field grow"><span>{t('apiKeys.client')}</span><input value={client} placeholder={t('apiKeys.clientHint')} onChange={(e) => setClient(e.target.value)} /></label>
        <button type="submit" className="btn primary" disabled={busy}>{t('apiKeys.issue')}</button>
      </div>
      <ErrorPanel error={error} />
    </form>
  );
}

/** The new key's secret, shown this once (the server keeps only its hash), with a copy button. */
export function SecretOnce({ name, secret, onDone }: { name: string; secret: string; onDone: () => void }) {
  const { t } = useI18n();
  const input = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState<boolean | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(secret);
      setCopied(true);
    } catch {
      // No clipboard permission (an insecure origin): select the text for Ctrl+C, and try the old command.
      input.current?.select();
      setCopied(document.execCommand('copy'));
    }
  };
  return (
    <div className="notice warn" role="status" aria-label={t('apiKeys.secretTitle')}>
      <strong>{t('apiKeys.secretTitle')}</strong> {t('apiKeys.secretOnce', { name })}
      <div className="toolbar" style={{ margin: '8px 0 0' }}>
        <input ref={input} className="mono grow" style={{ flex: 1 }} readOnly value={secret} aria-label={t('apiKeys.secret')} onFocus={(e) => e.target.select()} />
        <button type="button" className="btn primary" onClick={copy}>{t('apiKeys.copy')}</button>
        {copied === true && <span className="ok-text small">{t('apiKeys.copied')}</span>}
        {copied === false && <span className="field-hint">{t('apiKeys.copyByHand')}</span>}
        <button type="button" className="btn" onClick={onDone}>{t('apiKeys.secretSaved')}</button>
      </div>
    </div>
  );
}
