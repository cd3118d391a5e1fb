// node:test entry: the IOS XR configuration and console suites.
import { installNodeEnv } from './env-node.js';
import { cliGuideSuite } from '../suites/cli-guide.js';
import { cliGrammarSuite } from '../suites/cli-grammar.js';

installNodeEnv();
cliGuideSuite();
cliGrammarSuite();
