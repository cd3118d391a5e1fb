// node:test entry: every lab preset of the browser lab on the simulated wire.
import { installNodeEnv } from './env-node.js';
import { labPresetsSuite } from '../suites/lab-presets.js';

installNodeEnv();
labPresetsSuite();
