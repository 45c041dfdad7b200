import { DEFAULTS } from './defaults.js';
import { resolveEngineOptions, type EngineFlags, type EngineOptions } from './engine-options.js';

/** What commander hands `camera-load cameras`: the camera source's flags and the file to write. */
export type CamerasFlags = Pick<
  EngineFlags,
  'apiUrl' | 'camerasFile' | 'url' | 'simulate' | 'header' | 'insecure' | 'ca' | 'proxy' | 'cameraAuth' | 'apiTimeout' | 'output' | 'quiet'
>;

/** `output`: the cameras file ('-': stdout); undefined: show the table only (a dry run). */
export type CamerasOptions = EngineOptions;

// The source is checked by the same code as `run`'s, so a file written here is read back the way it was listed;
// the stream flags `cameras` does not take keep their defaults and are not used.
export function resolveCamerasOptions(flags: CamerasFlags, env: NodeJS.ProcessEnv, apiUrlGiven: boolean): CamerasOptions {
  return resolveEngineOptions(
    {
      streamsPerCamera: DEFAULTS.streamsPerCamera,
      stallTimeout: DEFAULTS.stallTimeout,
      freezeTimeout: DEFAULTS.freezeTimeout,
      backoffMax: DEFAULTS.backoffMax,
      interval: DEFAULTS.interval,
      connectConcurrency: DEFAULTS.connectConcurrency,
      saturationCpu: DEFAULTS.saturationCpu,
      ...flags,
    },
    env,
    apiUrlGiven,
  );
}
