// The one door to @peculiar/x509 (X.509 parsing and generation over WebCrypto; no ASN.1 of our own).
// Every src/pki module imports the library through this file so that the Reflect shim below is
// evaluated before the library: @peculiar/x509 registers its algorithms in a tsyringe container, and
// tsyringe refuses to load unless `Reflect.getMetadata` exists ("tsyringe requires a reflect polyfill").
// The library never emits decorator metadata, so a tiny shim is enough and the ~50 kB reflect-metadata
// package is not needed.
import './reflect-shim.js';

export * from '@peculiar/x509';
