import { useEffect, useState } from 'react';
import { photoUrl } from '../api/cases.ts';

/** A stored photo (a finding's, an appeal's evidence) as a thumbnail (fetched with the session's token); a click opens it whole. */
export function PhotoThumb({ id, label }: { id: number; label: string }) {
  const [url, setUrl] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let alive = true;
    let made: string | null = null;
    photoUrl(id).then((u) => { made = u; if (alive) setUrl(u); else URL.revokeObjectURL(u); }, () => { if (alive) setFailed(true); });
    return () => { alive = false; if (made) URL.revokeObjectURL(made); };
  }, [id]);
  if (failed) return <span className="muted">✕</span>;
  if (!url) return <span className="muted">…</span>;
  return <a href={url} target="_blank" rel="noreferrer"><img src={url} alt={label} style={{ width: 56, height: 42, objectFit: 'cover', borderRadius: 3, border: '1px solid var(--line)' }} /></a>;
}
