// How scores, changes and money are printed on the evaluation pages (the same texts as the printed report).
export const score = (v: number | null) => (v === null ? '—' : v.toFixed(2));
export const signed = (v: number | null) => (v === null ? '—' : `${v > 0 ? '+' : v < 0 ? '−' : ''}${Math.abs(v).toFixed(2)}`);
export const points = (v: number) => (v === 0 ? '' : signed(v));
export const money = (yuan: number) => (yuan === 0 ? '—' : `${yuan > 0 ? '+' : '−'}${Math.abs(yuan).toLocaleString('en-US', { minimumFractionDigits: 0, maximumFractionDigits: 2 })}`);
export const rankChange = (v: number | null) => (v === null ? '—' : v > 0 ? `↑${v}` : v < 0 ? `↓${-v}` : '0');
export const rankText = (rank: number | null, tied: boolean, tiedLabel: string) => (rank === null ? '—' : tied ? `${rank}（${tiedLabel}）` : String(rank));
export const percent = (rate: number | null) => (rate === null ? '—' : `${(rate * 100).toFixed(2)}%`);
export const localTime = (iso: string | null) => (iso === null ? '—' : new Date(new Date(iso).getTime() + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' '));
