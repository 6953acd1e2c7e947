export * from './case-states.ts';
export * from './case-sources.ts';
export * from './transitions.ts';
export * from './decide.ts';
export * from './stage-limits.ts';
export * from './handling-clock.ts';
export * from './duplicates.ts';
