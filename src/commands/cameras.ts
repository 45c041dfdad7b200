import { resolve as resolvePath } from 'node:path';
import type { Command } from 'commander';
import type { ActionRunner, CommandContext, CommandResult } from '../command-context.js';
import { ExitCode } from '../exit-codes.js';
import { resolveCamerasOptions, type CamerasFlags } from '../options/cameras-options.js';
import { checkOutputs } from '../files/check-outputs.js';
import { describeOutputFailure, notWritable } from '../files/output-paths.js';
import { camerasFileText, renderCameras } from '../render/cameras.js';
import { STDOUT_OUTPUT } from '../files/run-files.js';
import { writeFileAtomic } from '../files/write-file.js';
import { openCameras } from '../cameras/open-cameras.js';
import { FILE_STREAM_CREDENTIALS } from '../text/credentials.js';
import { COMMANDS, declareCommand } from './catalog.js';

// `camera-load cameras`: list, filter and check the cameras once; show them, and write the file every shard reads.

async function listCameras(flags: CamerasFlags, apiUrlGiven: boolean, context: CommandContext): CommandResult {
  const options = resolveCamerasOptions(flags, context.env, apiUrlGiven);
  const toStdout = options.output === STDOUT_OUTPUT;
  const target = options.output === undefined || toStdout ? undefined : { flag: '--output', path: resolvePath(options.output), append: false };
  // As `run`: a file that cannot be written is found before the API is asked (exit 2).
  if (target) await checkOutputs([target]);
  const cameras = await openCameras(options, context.signal);
  await cameras.close();
  // The table goes where the file does not: stdout, or stderr when stdout carries the file.
  if (!options.quiet) (toStdout ? context.stderr : context.stdout).write(renderCameras(cameras));
  const credentialed = cameras.cameras.filter((c) => ![undefined, options.cameraAuth].includes(cameras.credentialsFor(c.streamUrl))).length;
  if (credentialed > 0 && options.output !== undefined) {
    context.stderr.write(
      `camera-load: warning: ${credentialed} camera URL(s) held credentials, which the file leaves out; give them to every run that reads it: ${FILE_STREAM_CREDENTIALS}\n`,
    );
  }
  if (toStdout) context.stdout.write(camerasFileText(cameras.cameras));
  if (target) {
    await writeFileAtomic(target.path, camerasFileText(cameras.cameras)).catch((error: unknown) => {
      throw notWritable(target, describeOutputFailure('write', error), error);
    });
    if (!options.quiet) context.stdout.write(`Cameras: ${target.path} (read it back with --cameras-file)\n`);
  }
  return ExitCode.OK;
}

export function camerasCommand(runAction: ActionRunner): Command {
  const command = declareCommand(COMMANDS.cameras).addHelpText(
    'after',
    // One way per line: each is long, and the shared text is written for a line of its own.
    `\nThe file holds no credentials: user:password in a camera URL is left out, so give them to every run that\nreads the file:\n${FILE_STREAM_CREDENTIALS.split(
      '; ',
    )
      .map((way) => `  ${way}`)
      .join('\n')}\nExit 3 when the camera source fails.`,
  );
  return command.action((flags: CamerasFlags) => runAction((context) => listCameras(flags, command.getOptionValueSource('apiUrl') === 'cli', context)));
}
