// Chromium: a correctly keyed hostile initiator against a certificate responder on WebCrypto (fewer cases).
import { installBrowserEnv } from './env-browser.js';
import { engineCertFuzzSuite } from '../suites/engine-cert-fuzz.js';

installBrowserEnv();
engineCertFuzzSuite({
  cases: 120,
  watchEscapes(onEscape) {
    const rej = (e: PromiseRejectionEvent): void => onEscape('unhandledrejection', e.reason);
    const err = (e: ErrorEvent): void => onEscape('error', e.error ?? e.message);
    addEventListener('unhandledrejection', rej);
    addEventListener('error', err);
    return () => { removeEventListener('unhandledrejection', rej); removeEventListener('error', err); };
  },
});
