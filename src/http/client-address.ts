// Who a buyer is, for rate limits and checkout holds: the client's IP address as Express derives it
// under TRUST_PROXY (app.ts), and only ever a valid IP. A non-address in X-Forwarded-For falls back
// to the socket's address, so a header can never become a key of its own. IPv6 clients are keyed by
// their /64 (one subscriber's network: a host picks any address inside it at will), and counted
// against their /48 as well (one site: it picks any of its 65,536 /64s at will). Logs and the
// rate-limit table hold an address only keyed (payments/count-client-attempt.ts), never as it is.
import { isIP } from 'node:net';
import type { Request } from 'express';

const IPV4_MAPPED = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i;

/** The eight 16-bit groups of a valid IPv6 address (an embedded IPv4 tail included). */
function ipv6Groups(address: string): number[] {
  let text = address.split('%')[0] ?? address;
  const tail = /(\d{1,3}(?:\.\d{1,3}){3})$/.exec(text);
  if (tail?.[1]) {
    const [a = 0, b = 0, c = 0, d = 0] = tail[1].split('.').map(Number);
    text = `${text.slice(0, -tail[1].length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', rest] = text.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = rest === undefined || rest === '' ? [] : rest.split(':');
  const missing = rest === undefined ? 0 : 8 - left.length - right.length;
  return [...left, ...Array<string>(missing).fill('0'), ...right].map((group) => parseInt(group, 16));
}

function ipv6Network(address: string, groups: number): string {
  const prefix = ipv6Groups(address)
    .slice(0, groups)
    .map((group) => group.toString(16))
    .join(':');
  return `${prefix}::/${groups * 16}`;
}

/** The networks one address counts against: IPv4 as it is; IPv6 as its /64, then its /48. Empty when not an IP. */
function addressNetworks(address: string | undefined): string[] {
  if (address === undefined) return [];
  const mapped = IPV4_MAPPED.exec(address);
  if (mapped?.[1] && isIP(mapped[1]) === 4) return [mapped[1]];
  const family = isIP(address.split('%')[0] ?? '');
  if (family === 4) return [address];
  if (family !== 6) return [];
  return [ipv6Network(address, 4), ipv6Network(address, 3)];
}

/** The key for one address: IPv4 as it is, IPv6 as its /64 network. Null when not an IP. */
export function addressKey(address: string | undefined): string | null {
  return addressNetworks(address)[0] ?? null;
}

/** The client of a request's networks, the client's own (IPv4, or IPv6 /64) first. */
export function clientNetworks(req: Request): string[] {
  const networks = addressNetworks(req.ip);
  if (networks.length > 0) return networks;
  const socket = addressNetworks(req.socket.remoteAddress);
  return socket.length > 0 ? socket : ['unknown'];
}
