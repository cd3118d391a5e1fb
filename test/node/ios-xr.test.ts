// node:test entry: the IOS XR configuration and console suites.
import { installNodeEnv } from './env-node.js';
import { cliGuideSuite } from '../suites/cli-guide.js';
import { cliGrammarSuite } from '../suites/cli-grammar.js';
import { cliSessionSuite } from '../suites/cli-session.js';
import { cliMalformedSuite } from '../suites/cli-malformed.js';
import { cliType7Suite } from '../suites/cli-type7.js';

installNodeEnv();
cliGuideSuite();
cliGrammarSuite();
cliSessionSuite();
// npm run fuzz raises the random-mutation count (WEBSWAN_CLI_FUZZ_CASES); npm test runs the default 10,000
cliMalformedSuite(Number(process.env.WEBSWAN_CLI_FUZZ_CASES ?? 0) || undefined);
cliType7Suite();
