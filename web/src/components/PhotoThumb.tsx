import { useEffect, useState } from 'react';
import { photoUrl } from '../api/cases.ts';

/**
 * A stored photo (a case step's, a finding's, an appeal's evidence) as a thumbnail, fetched with the
 * session's token; a click opens it whole. `small` for dense tables.
 */
export function PhotoThumb({ id, label, small = false }: { id: number; label: string; small?: boolean }) {
  const [url, setUrl] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let alive = true;
    let made: string | null = null;
    photoUrl(id).then((u) => { made = u; if (alive) setUrl(u); else URL.revokeObjectURL(u); }, () => { if (alive) setFailed(true); });
    return () => { alive = false; if (made) URL.revokeObjectURL(made); };
  }, [id]);
  const className = small ? 'thumb small' : 'thumb';
  if (failed) return <span className={`${className} muted`} title={label}>✕</span>;
  if (!url) return <span className={className} />;
  return <a href={url} target="_blank" rel="noreferrer"><img src={url} alt={label} className={className} /></a>;
}
