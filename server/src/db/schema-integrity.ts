// Row types of the tamper-evidence ledger (migration 20261127_019, decision 0017). Instants are epoch ms;
// digests and hashes are lowercase SHA-256 hex.

export interface IntegrityLedgerTable {
  /** 0 is the genesis entry; each seal takes the next number. */
  seq: number;
  /** What is sealed: a key of SEALED_KINDS (server/src/integrity/sealed-kinds.ts), or 'genesis'. */
  kind: string;
  /** Which one: a run id, an audit id range 'from-to'; '' for the genesis entry. */
  entity_ref: string;
  /** SHA-256 of the canonical object { item ref: item digest } (the genesis entry: of its fixed content). */
  digest: string;
  item_count: number;
  /** Canonical JSON of what the seal notes about itself (e.g. sealed late, after an upgrade), or null. */
  detail: string | null;
  sealed_at: number;
  prev_hash: string;
  /** SHA-256 of prev_hash, a line feed, and the canonical JSON of the entry's other fields. */
  hash: string;
}

export interface IntegrityItemTable {
  entry_seq: number;
  /** The item within the sealed entity: 'final/unit:12', 'finding:7', 'audit:1234'. */
  ref: string;
  digest: string;
}

export interface IntegrityTables {
  integrity_ledger: IntegrityLedgerTable;
  integrity_items: IntegrityItemTable;
}
