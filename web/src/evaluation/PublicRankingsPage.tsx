import { publicRankings } from '../api/evaluation.ts';
import { useApi } from '../hooks/useApi.ts';
import { useI18n } from '../i18n/index.tsx';
import { ErrorPanel } from '../components/ErrorPanel.tsx';
import { Empty, Loading } from '../components/Status.tsx';
import { localTime, money, rankChange, rankText, score, signed } from './format.ts';

/** 公开排名: what the evaluation office published, for everyone, without signing in. */
export function PublicRankingsPage() {
  const { t } = useI18n();
  const rankings = useApi((signal) => publicRankings(signal), []);
  return (
    <div>
      <h1 className="public-title">{t('public.title')}</h1>
      <ErrorPanel error={rankings.error} />
      {rankings.loading && <Loading />}
      {rankings.data && rankings.data.items.length === 0 && <Empty>{t('public.nothing')}</Empty>}
      {rankings.data?.items.map((r) => (
        <section key={`${r.scheme.code}-${r.period}`} className="public-ranking">
          <h2>{r.period} {r.territory.name} · {r.scheme.name}</h2>
          <p className="muted">{t('public.publishedAt')} {localTime(r.publishedAt)}{r.correction ? ` · ${t('public.corrected', { version: r.version })}: ${r.correction}` : ''}</p>
          <table className="grid-table">
            <thead><tr><th style={{ width: 80 }}>{t('evaluation.rank')}</th><th>{t('evaluation.unit')}</th><th className="num">{t('evaluation.total')}</th><th className="num">{t('evaluation.change')}</th><th>{t('evaluation.rankChange')}</th><th className="num">{t('evaluation.amount')}</th></tr></thead>
            <tbody>
              {r.ranking.map((x) => (
                <tr key={x.unit.code}><td>{rankText(x.rank, x.tied, t('evaluation.tied'))}</td><td>{x.unit.name}</td><td className="num strong">{score(x.total)}</td><td className="num">{signed(x.change.total)}</td><td>{rankChange(x.change.rank)}</td><td className="num">{money(x.amountYuan)}</td></tr>
              ))}
            </tbody>
          </table>
        </section>
      ))}
    </div>
  );
}
