import { useState } from 'react';
import { useI18n } from '../i18n/index.tsx';
import { localTime } from '../evaluation/format.ts';
import { outbox, outboxLabel, retryItem, type OutboxItem } from './outbox.ts';

/** 待发送: what waits on the phone; an item the server refused shows its reason, to send again or discard (after a confirmation). */
export function OutboxList({ waiting, onChange }: { waiting: OutboxItem[]; onChange: (retried: boolean) => Promise<void> }) {
  const { t } = useI18n();
  const [discarding, setDiscarding] = useState<string | null>(null);
  return (
    <>
      <h2 className="section-title">{t('inspector.outbox')} <span data-testid="outbox-count">{waiting.length}</span></h2>
      {waiting.length > 0 && (
        <ul className="plain-list" aria-label={t('inspector.outbox')}>
          {waiting.map((w) => (
            <li key={w.id}>
              {localTime(w.createdAt)} {outboxLabel(w)}{' '}
              {w.lastError ? (
                <>
                  <span className="badge warn">{w.lastError}</span>{' '}
                  <button type="button" className="btn" onClick={async () => { await retryItem(w); await onChange(true); }}>{t('inspector.retry')}</button>
                  {discarding === w.id
                    ? <button type="button" className="btn danger" onClick={async () => { await outbox.remove(w.id); setDiscarding(null); await onChange(false); }}>{t('inspector.discardConfirm')}</button>
                    : <button type="button" className="btn" onClick={() => setDiscarding(w.id)}>{t('inspector.discard')}</button>}
                </>
              ) : <span className="muted">{t('inspector.waiting')}</span>}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
