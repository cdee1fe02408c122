import type { Command } from 'commander';
import { addAnalyst, checkAnalystName } from '../../admin/analysts.js';
import { loadSettings } from '../../../src/config/settings.js';
import { promptPassword } from '../password-prompt.js';

/** `lgsp analyst add <name>`: a login for an analyst, who reads the mart and nothing else. */
export function registerAnalystCommand(program: Command): void {
  const analyst = program.command('analyst').description('analysts: login roles that read the mart (lgsp_analyst) and nothing else');
  analyst
    .command('add')
    .argument('<name>', 'the analyst\'s login, a plain lower-case identifier, e.g. nguyen_van_an')
    .description('create an analyst login (member of lgsp_analyst), or set a new password; password from LGSP_ANALYST_PASSWORD or asked without echo')
    .action(async (name: string) => {
      const settings = loadSettings();
      checkAnalystName(name);
      const password = settings.LGSP_ANALYST_PASSWORD ?? (await promptPassword(`password for ${name}: `));
      const added = await addAnalyst(settings.DATABASE_URL, name, password);
      process.stdout.write(
        `${added.created ? `Analyst ${name} created` : `Analyst ${name} exists: password changed`}; it reads mart.* in the warehouse and nothing else.\n` +
          `Connect with: psql '${added.url}'   (psql asks for the password)\n`,
      );
    });
}
