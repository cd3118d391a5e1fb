// Chromium: hostile certificate and key pastes at the console, on WebCrypto and the ESM @peculiar/x509 (fewer runs).
import { installBrowserEnv } from './env-browser.js';
import { pkiPasteFuzzSuite } from '../suites/pki-paste-fuzz.js';

installBrowserEnv();
pkiPasteFuzzSuite({
  runs: 60,
  watchEscapes(onEscape) {
    const rej = (e: PromiseRejectionEvent): void => onEscape('unhandledrejection', e.reason);
    const err = (e: ErrorEvent): void => onEscape('error', e.error ?? e.message);
    addEventListener('unhandledrejection', rej);
    addEventListener('error', err);
    return () => { removeEventListener('unhandledrejection', rej); removeEventListener('error', err); };
  },
});
