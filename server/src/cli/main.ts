import { parseArgs } from 'node:util';
import { ValidationError, describeIssues } from '@cityops/domain/errors';
import { loadConfig } from '../config.ts';
import { COMMANDS } from './commands.ts';

const USAGE = `cityops <command> [options]

Commands:
${Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(28)} ${c.summary}`).join('\n')}

Environment: DATABASE_URL (postgres://… or a SQLite path; default ./data/cityops.sqlite), PORT (8080),
CITYOPS_DATA_DIR, LOG_LEVEL, CITYOPS_DEMO_SEED, CITYOPS_DEMO_GRIDS. See README.md.`;

async function main(argv: string[]): Promise<number> {
  const words: string[] = [];
  while (argv.length && !argv[0]!.startsWith('-')) words.push(argv.shift()!);
  const name = [...words].reverse().map((_, i) => words.slice(0, words.length - i).join(' ')).find((n) => n in COMMANDS);
  if (!name || argv.includes('--help') || argv.includes('-h')) {
    console.log(USAGE);
    return name || words.length === 0 ? 0 : 2;
  }
  const command = COMMANDS[name]!;
  const positionals = words.slice(name.split(' ').length);
  const { values } = parseArgs({ args: argv, options: command.options ?? {}, allowPositionals: false, strict: true });
  const config = loadConfig();
  return command.run({ config, positionals, options: values as Record<string, string | boolean | undefined> });
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== undefined && code !== 0) process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof ValidationError) console.error(`error: ${describeIssues(error.issues, 20)}`);
    else console.error(`error: ${(error as Error).message}`);
    process.exitCode = 1;
  },
);
