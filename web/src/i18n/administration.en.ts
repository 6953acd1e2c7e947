import type { administrationZh } from './administration.zh.ts';

// Typed from the Chinese: a missing or extra key fails the typecheck.
export const administrationEn: Record<keyof typeof administrationZh, string> = {
};
