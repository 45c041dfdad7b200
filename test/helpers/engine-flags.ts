import type { EngineFlags } from '../../src/options/engine-options.js';

/** The flags commander hands a command that streams, at their defaults, as option tests start from. */
export const ENGINE_FLAGS: EngineFlags = {
  apiUrl: 'http://127.0.0.1/api/',
  url: [],
  header: [],
  streamsPerCamera: '1',
  stallTimeout: '10s',
  freezeTimeout: '2s',
  backoffMax: '30s',
  interval: '1s',
  connectConcurrency: '100',
  apiTimeout: '15s',
  saturationCpu: '90',
};
