// node:test entry: the IOS XR configuration and console suites.
import { installNodeEnv } from './env-node.js';
import { cliGuideSuite } from '../suites/cli-guide.js';

installNodeEnv();
cliGuideSuite();
