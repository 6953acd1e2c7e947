import { useCallback, useEffect, useState } from 'react';
import { useI18n } from '../i18n/index.tsx';
import { flushOutbox, outbox, type OutboxItem } from './outbox.ts';

/**
 * The phone's connection and outbox for a page that works offline: what waits, sent when the network
 * comes back (and at once after each save when online), with a notice of how many went.
 */
export function useOutbox() {
  const { t } = useI18n();
  const [online, setOnline] = useState(navigator.onLine);
  const [waiting, setWaiting] = useState<OutboxItem[]>([]);
  const [notice, setNotice] = useState<string | null>(null);
  const refresh = useCallback(async () => setWaiting(await outbox.list()), []);
  const sync = useCallback(async () => {
    if (!navigator.onLine) return;
    const { sent } = await flushOutbox();
    if (sent) setNotice(t('inspector.synced', { n: sent }));
    await refresh();
  }, [refresh, t]);
  useEffect(() => {
    void refresh().then(sync);
    const up = () => { setOnline(true); void sync(); };
    const down = () => setOnline(false);
    window.addEventListener('online', up);
    window.addEventListener('offline', down);
    return () => { window.removeEventListener('online', up); window.removeEventListener('offline', down); };
  }, [refresh, sync]);
  const saved = useCallback(async () => { await refresh(); await sync(); }, [refresh, sync]);
  return { online, waiting, notice, refresh, sync, saved };
}
