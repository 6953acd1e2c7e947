// Messages of the basedata screens, spread into zh.ts. Keys must not repeat a key of zh.ts or of another pair.
export const basedataZh = {
} as const;
