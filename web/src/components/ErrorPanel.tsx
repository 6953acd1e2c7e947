import { ApiError } from '../api/client.ts';
import { useI18n, type MessageKey } from '../i18n/index.tsx';
import { zh } from '../i18n/zh.ts';

const MAX_ISSUES = 200;

/** An API error: its message, then every issue with its field (and row, for imports). */
export function ErrorPanel({ error, title }: { error: unknown; title?: string }) {
  const { t } = useI18n();
  if (error === undefined || error === null) return null;
  const apiError = error instanceof ApiError ? error : null;
  const message = apiError
    ? apiError.status === 0 ? t('error.network', { detail: apiError.message }) : apiError.message
    : error instanceof Error ? error.message : String(error);
  // A known code gets its headline in the reader's language; the server's message stays as the detail.
  const codeKey = apiError ? `error.code.${apiError.code}` : '';
  const headline = codeKey in zh ? t(codeKey as MessageKey) : null;
  const issues = apiError?.issues ?? [];
  const hasRows = issues.some((i) => i.row !== undefined);
  return (
    <div className="error-panel" role="alert">
      <div className="error-title">
        {title ?? t('error.title')}
        {apiError && apiError.status > 0 && <span className="error-code">{apiError.code} · HTTP {apiError.status}</span>}
      </div>
      {headline && <div className="error-headline">{headline}</div>}
      <div className={headline ? 'error-message detail' : 'error-message'}>{message}</div>
      {issues.length > 0 && (
        <table className="issues">
          <thead>
            <tr>
              {hasRows && <th>{t('error.row')}</th>}
              <th>{t('error.field')}</th>
              <th>{t('error.problem')}</th>
            </tr>
          </thead>
          <tbody>
            {issues.slice(0, MAX_ISSUES).map((issue, index) => (
              <tr key={index}>
                {hasRows && <td className="num">{issue.row ?? ''}</td>}
                <td className="mono">{issue.field}</td>
                <td>{issue.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {issues.length > MAX_ISSUES && <div className="muted">{t('error.moreIssues', { n: issues.length - MAX_ISSUES })}</div>}
    </div>
  );
}
