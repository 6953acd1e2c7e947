import { useCallback, useState } from 'react';

/**
 * A form's submission: busy while the work runs (buttons disabled), the error it ended with (an
 * ApiError names the fields; ErrorPanel shows it), cleared when the next attempt starts.
 */
export function useSubmit() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const run = useCallback(async (work: () => Promise<void>) => {
    setBusy(true);
    setError(undefined);
    try {
      await work();
    } catch (cause) {
      setError(cause);
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error, setError, run };
}
