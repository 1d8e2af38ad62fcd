/**
 * The CLI's command table: name → lazy module loader, so `m2m --help` stays fast
 * and each command's dependencies load only when it runs. Two-word names
 * (`bench codecs`) are matched before one-word names.
 */
import type { CommandModule } from './command.js';

export interface CommandEntry {
  summary: string;
  load: () => Promise<CommandModule>;
}

export const COMMANDS: Record<string, CommandEntry> = {
};
