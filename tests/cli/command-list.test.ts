import { describe, expect, it } from 'vitest';
import { Command, Help } from 'commander';
import { commandAsked, COMMANDS } from '../../src/cli/command-list.ts';

describe('the command list behind the top-level help', () => {
  it.each(Object.keys(COMMANDS))('lists %s as the command itself would', async (name) => {
    const program = new Command();
    (await COMMANDS[name]!.load())(program);
    const command = program.commands.find((candidate) => candidate.name() === name);
    expect(command).toBeDefined();
    expect(COMMANDS[name]!.term).toBe(new Help().subcommandTerm(command!));
    expect(COMMANDS[name]!.description).toBe(command!.description());
  });

  it('names the command asked for, directly or through help', () => {
    expect(commandAsked(['node', 'dexa', 'status', '--help'])).toBe('status');
    expect(commandAsked(['node', 'dexa', 'help', 'review'])).toBe('review');
    expect(commandAsked(['node', 'dexa', 'help'])).toBeUndefined();
    expect(commandAsked(['node', 'dexa', '--help'])).toBeUndefined();
    expect(commandAsked(['node', 'dexa', 'toString'])).toBeUndefined();
  });
});
