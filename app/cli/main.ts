import { Command, CommanderError } from 'commander';
import { config as loadDotenv } from 'dotenv';
import { LgspError, describeError } from '../../src/errors.js';
import { registerCommands } from './commands/index.js';
import { terminalText } from './terminal-text.js';

// Settings come from the environment; a `.env` in the working directory fills in what is unset.
loadDotenv({ quiet: true });

// A reader that stops early (`lgsp local status | head -1`) closes the pipe. What is left to print
// has nowhere to go, which is no failure of the command: it finishes its work (a run stopped half
// way would be safe, but surprising) and its output is dropped, instead of an EPIPE stack.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code !== 'EPIPE') throw err;
  process.stdout.write = () => true;
});

const program = new Command('lgsp')
  .description('Provincial LGSP data platform: national databases and the one-stop system → Kafka → PostgreSQL warehouse')
  .option('--debug', 'print stack traces on errors (or set LGSP_DEBUG=1)')
  .showHelpAfterError()
  .exitOverride();

await registerCommands(program, process.argv);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  process.exitCode = reportFailure(err, program.opts<{ debug?: boolean }>().debug === true || process.env['LGSP_DEBUG'] === '1');
}

// The command's work is over here (the long-running ones, `schedule` and `mock serve`, return only
// once stopped; `local up` leaves a detached broker). A client that could not close must not keep
// the process alive: a kafkajs consumer whose disconnect failed while the broker was down restarts
// itself and retries forever (seen in the fault suite: a finished `lgsp run` that never exited).
// Normally the event loop drains first and this timer, unref'd, never fires.
setTimeout(() => {
  if (program.opts<{ debug?: boolean }>().debug === true || process.env['LGSP_DEBUG'] === '1') {
    process.stderr.write('lgsp: exiting although some connections did not close\n');
  }
  process.exit();
}, 5000).unref();

/**
 * One line for the operator (plus a hint line when we have one); the stack only when asked for.
 * Messages may quote a source's answer or a record: control characters are shown escaped.
 */
function reportFailure(err: unknown, debug: boolean): number {
  if (err instanceof CommanderError) return err.exitCode;
  if (err instanceof LgspError) {
    process.stderr.write(`lgsp: ${terminalText(err.message)} [${err.code}]\n`);
    if (err.hint !== undefined) process.stderr.write(`  hint: ${terminalText(err.hint)}\n`);
  } else {
    process.stderr.write(`lgsp: ${terminalText(describeError(err))}\n`);
  }
  if (debug && err instanceof Error && err.stack !== undefined) process.stderr.write(`${err.stack.split('\n').map(terminalText).join('\n')}\n`);
  return err instanceof LgspError && err.code === 'USAGE' ? 2 : 1;
}
