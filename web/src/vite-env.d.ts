/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** Optional MapLibre style URL (self-hosted tiles); without it the map draws on a blank background. */
  readonly VITE_MAP_STYLE_URL?: string;
}

interface ImportMeta {
  readonly env: ImportMetaEnv;
}
