// The unified social credit code (统一社会信用代码, GB 32100-2015): 18 characters from 31 (digits and capital
// letters without I, O, Z, S, V): registration authority, kind of entity, the 6-digit administrative division,
// the 9-character organisation code, and a check character computed from the other 17 with the weights
// 3^i mod 31.
const CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** The check character the first 17 characters call for. */
export function creditCodeCheckCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += CHARSET.indexOf(first17[i]!) * WEIGHTS[i]!;
  return CHARSET[(31 - (sum % 31)) % 31]!;
}

/** Why a code is not a valid unified social credit code, or null when it is. */
export function creditCodeProblem(code: string): string | null {
  if (code.length !== 18) return `must have 18 characters (has ${code.length})`;
  const bad = [...code].findIndex((ch) => !CHARSET.includes(ch));
  if (bad >= 0) return `character ${bad + 1} (${code[bad]}) is not allowed: digits and capital letters other than I, O, Z, S, V`;
  if (!/^[0-9]{6}$/.test(code.slice(2, 8))) return 'characters 3–8 must be the administrative division code (6 digits)';
  const expected = creditCodeCheckCharacter(code.slice(0, 17));
  if (code[17] !== expected) return `check character is ${code[17]}, the code calls for ${expected}`;
  return null;
}
