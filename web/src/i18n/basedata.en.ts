import type { basedataZh } from './basedata.zh.ts';

// Typed from the Chinese: a missing or extra key fails the typecheck.
export const basedataEn: Record<keyof typeof basedataZh, string> = {
};
