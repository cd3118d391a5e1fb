// Chromium: the IOS XR configuration and console suites — the same console code the browser terminal
// embeds, on the browser's JavaScript engine.
import { installBrowserEnv } from './env-browser.js';
import { cliGuideSuite } from '../suites/cli-guide.js';
import { cliGrammarSuite } from '../suites/cli-grammar.js';
import { cliSessionSuite } from '../suites/cli-session.js';
import { cliMalformedSuite } from '../suites/cli-malformed.js';
import { cliType7Suite } from '../suites/cli-type7.js';

installBrowserEnv();
cliGuideSuite();
cliGrammarSuite();
cliSessionSuite();
cliMalformedSuite();
cliType7Suite();
