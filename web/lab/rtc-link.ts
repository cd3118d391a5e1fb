// The lab's wire: an RTCPeerConnection pair inside the page, signalled locally (no server, no STUN: host
// candidates only), with one data channel per link, unordered and without retransmissions — datagram
// semantics, like UDP. Each end of the channel is transferred into its router's worker in the same task
// that creates it (Chromium allows transferring an RTCDataChannel only then, before any send), so packets
// never pass through the main thread: only signalling stays here.

/** Datagram semantics: no ordering, no retransmission. */
export const LINK_CHANNEL_INIT: RTCDataChannelInit = { ordered: false, maxRetransmits: 0 };

export interface RtcLink {
  /** The page's handle on the A end after the transfer: a dead object (kept for diagnostics only). */
  readonly pageChannel: RTCDataChannel;
  readonly pcA: RTCPeerConnection;
  readonly pcB: RTCPeerConnection;
  close(): void;
}

/**
 * Creates the link and hands each end to `give` (which must transfer it synchronously, e.g.
 * `api.attachLink(Comlink.transfer(ch, [ch]))`). Resolves once signalling is done; the workers see the
 * channel open shortly after.
 */
export async function createRtcLink(label: string, give: (end: 'A' | 'B', channel: RTCDataChannel) => void): Promise<RtcLink> {
  const pcA = new RTCPeerConnection({ iceServers: [] });
  const pcB = new RTCPeerConnection({ iceServers: [] });
  const channel = pcA.createDataChannel(label, LINK_CHANNEL_INIT);
  give('A', channel);
  pcB.ondatachannel = (e) => { give('B', e.channel); pcB.ondatachannel = null; };

  // candidates may arrive before the other side has its remote description: queue them behind it
  let remoteA!: () => void, remoteB!: () => void;
  const remoteSetA = new Promise<void>((r) => { remoteA = r; });
  const remoteSetB = new Promise<void>((r) => { remoteB = r; });
  const ignore = () => { /* a candidate of a closed connection */ };
  pcA.onicecandidate = (e) => { if (e.candidate) { const c = e.candidate; void remoteSetB.then(() => pcB.addIceCandidate(c)).catch(ignore); } };
  pcB.onicecandidate = (e) => { if (e.candidate) { const c = e.candidate; void remoteSetA.then(() => pcA.addIceCandidate(c)).catch(ignore); } };

  await pcA.setLocalDescription();
  await pcB.setRemoteDescription(pcA.localDescription!);
  remoteB();
  await pcB.setLocalDescription();
  await pcA.setRemoteDescription(pcB.localDescription!);
  remoteA();

  return {
    pageChannel: channel, pcA, pcB,
    close() { pcA.close(); pcB.close(); },
  };
}
