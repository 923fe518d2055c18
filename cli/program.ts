/** The `exfiltrail` command line: scan archives, test patterns, list detections. */
import { Command } from 'commander';
import { registerScanCommand } from './scan/command';
import { registerDetectionsCommand } from './detections';
import { runTestPattern } from './test-pattern';
import { version } from '../package.json';

export function buildProgram(): Command {
  const program = new Command('exfiltrail')
    .description('Detect data exfiltration in AWS CloudTrail: EventBridge-exact detections as code.')
    .version(version)
    .showHelpAfterError();

  registerScanCommand(program);

  program
    .command('test-pattern')
    .description('Print whether each event matches an EventBridge pattern, with EventBridge semantics')
    .argument('<pattern>', 'a JSON file holding an EventBridge event pattern')
    .argument('<events...>', 'JSON files: EventBridge events, or bare CloudTrail records (wrapped as EventBridge would)')
    .action(async (pattern: string, events: string[]) => {
      process.exitCode = await runTestPattern(pattern, events, (line) => process.stdout.write(`${line}\n`));
    });

  registerDetectionsCommand(program);
  return program;
}
