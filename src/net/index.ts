// The router's management IPv4 host (ARCHITECTURE.md: src/net): IPv4, ICMP echo, UDP, syslog text, the host.
export * from './ipv4.js';
export * from './icmp.js';
export * from './udp.js';
export * from './syslog.js';
export * from './host.js';
