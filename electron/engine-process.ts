/**
 * Entry of the desktop app's engine process: an Electron utility process (engine-launch.ts), or a Node child in
 * tests and tools. Its configuration is its last argument, as JSON.
 */
import { parentChannel } from '../core/util/parent-channel.js';
import { runEngineHost } from './engine-host.js';
import { EngineHostConfigSchema } from './engine-protocol.js';

runEngineHost(parentChannel(), EngineHostConfigSchema.parse(JSON.parse(process.argv.at(-1) ?? '')));
