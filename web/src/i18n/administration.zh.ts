// Messages of the administration screens, spread into zh.ts. Keys must not repeat a key of zh.ts or of another pair.
export const administrationZh = {
} as const;
