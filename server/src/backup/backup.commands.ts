import { ValidationError } from '@cityops/domain/errors';
import type { ParseArgsOptionsConfig } from 'node:util';
import type { CommandInput } from '../cli/commands.ts';
import { createBackup, restoreBackup, verifyBackup } from './backup.service.ts';

// The `cityops backup|restore` commands (registered in cli/commands.ts). They open the database themselves:
// a backup never migrates what it copies, and a restore migrates only after the restored data is in place.

interface BackupCommand {
  summary: string;
  options?: ParseArgsOptionsConfig;
  run(input: CommandInput): Promise<number>;
}

function fileName(input: CommandInput, what: string): string {
  const file = input.positionals[0];
  if (!file) throw new ValidationError([{ field: 'file', message: `name the ${what}` }]);
  return file;
}

const print = (result: unknown) => {
  console.log(JSON.stringify(result, null, 2));
  return 0;
};
const log = (message: string) => console.error(message);

export const BACKUP_COMMANDS: Record<string, BackupCommand> = {
  backup: {
    summary: 'write a backup of the database and its photos to a new FILE while the server may run (--without-attachments: the photo store is backed up separately)',
    options: { 'without-attachments': { type: 'boolean' } },
    run: async (input) => print(await createBackup(input.config, fileName(input, 'backup file to write'), { withoutAttachments: input.options['without-attachments'] === true, log })),
  },
  'backup verify': {
    summary: 'check a backup FILE (checksums, photos, the database inside) without restoring it',
    run: async (input) => {
      const { manifest, ...result } = await verifyBackup(fileName(input, 'backup file to check'));
      return print({ ...result, createdAt: manifest.createdAt, dialect: manifest.dialect, migration: manifest.migration, tables: Object.keys(manifest.tables).length, attachments: manifest.attachments.count });
    },
  },
  restore: {
    summary: 'restore a backup FILE into the database of DATABASE_URL, servers stopped (--force: replace a database that holds records)',
    options: { force: { type: 'boolean' } },
    run: async (input) => print(await restoreBackup(input.config, fileName(input, 'backup file to restore'), { force: input.options.force === true, log })),
  },
};
