import { Help, type Command, type HelpConfiguration, type Option } from 'commander';

/**
 * Every command's help shows a default as it is typed (15s, not "15s"), a default that is no plain value by its
 * text (`defaultText` in the flag table), and no default for a repeatable flag ([]).
 */
export const HELP_SETTINGS: HelpConfiguration = {
  optionDescription(option: Option): string {
    const shown = option.defaultValueDescription ?? (typeof option.defaultValue === 'string' ? option.defaultValue : undefined);
    return shown === undefined ? option.description : `${option.description} (default: ${shown})`;
  },
};

const DEFAULT_COMMAND_HEADING = 'run, the default command: camera-load [options] is camera-load run [options]';

/** The default command's options, grouped as its own help groups them, formatted with the top level's helper. */
function defaultCommandOptions(command: Command, helper: Help): string {
  const options = helper.visibleOptions(command).filter((option) => option.long !== '--help');
  const termWidth = Math.max(...options.map((option) => helper.displayWidth(helper.optionTerm(option))));
  const groups = new Map<string, string[]>();
  for (const option of options) {
    const heading = option.helpGroupHeading ?? 'Options:';
    const item = helper.formatItem(helper.optionTerm(option), termWidth, helper.optionDescription(option), helper);
    groups.set(heading, [...(groups.get(heading) ?? []), item]);
  }
  const sections = [...groups].map(([heading, items]) => [heading, ...items, ''].join('\n'));
  return [`${DEFAULT_COMMAND_HEADING}\n`, ...sections].join('\n');
}

/** The top-level help: commander's, then the default command's options, which a user reaches without naming it. */
export function helpWithDefaultCommand(defaultCommand: Command): HelpConfiguration {
  return {
    ...HELP_SETTINGS,
    formatHelp(cmd: Command, helper: Help): string {
      return `${Help.prototype.formatHelp.call(helper, cmd, helper)}\n${defaultCommandOptions(defaultCommand, helper)}`;
    },
  };
}
