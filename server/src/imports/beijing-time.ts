// Times in import files: Beijing wall clock unless an offset is given (China has no daylight saving).
const BEIJING_OFFSET_MIN = 8 * 60;
// Dashes or slashes and unpadded fields too: a CSV that has been opened and saved in Excel comes back as
// 2026/11/20 9:30. Without an offset the time is Beijing time (China has no daylight saving time).
const CALL_TIME = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(?:(Z)|([+-])(\d{2}):?(\d{2}))?$/i;

/** A time as epoch ms: `YYYY-MM-DD HH:mm[:ss]` in Beijing time, or ISO 8601 with Z or an offset; null if not a real time. */
export function parseBeijingTime(text: string): number | null {
  const m = CALL_TIME.exec(text.trim());
  if (!m) return null;
  const [y, mo, d, h, mi, s] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? '0'].map(Number) as [number, number, number, number, number, number];
  const ms = Number((m[7] ?? '0').padEnd(3, '0'));
  const wall = Date.UTC(y, mo - 1, d, h, mi, s, ms);
  const back = new Date(wall);
  // Date.UTC rolls 2月30日 over into March; a time that does not survive the round trip was never real.
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) return null;
  let offsetMin = BEIJING_OFFSET_MIN;
  if (m[8]) offsetMin = 0;
  else if (m[9]) {
    const [oh, om] = [Number(m[10]), Number(m[11])];
    if (oh > 14 || om > 59) return null;
    offsetMin = (m[9] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  return wall - offsetMin * 60_000;
}
