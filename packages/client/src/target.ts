import net from 'node:net';

/** Where a client connects: one address, several, or a resolver target. */
export type Addresses = string | readonly string[];

const SCHEME = /^(dns|ipv4|ipv6|unix|unix-abstract|vsock):/;

function ipEndpoint(address: string): { family: 4 | 6; text: string } | undefined {
  const v6 = /^\[([^\]]+)\]:(\d{1,5})$/.exec(address);
  if (v6 && net.isIPv6(v6[1]!)) return { family: 6, text: address };
  const v4 = /^([^:]+):(\d{1,5})$/.exec(address);
  if (v4 && net.isIPv4(v4[1]!)) return { family: 4, text: address };
  return undefined;
}

/**
 * The grpc-js target for `addresses`:
 * - one `host:port` (or any resolver target such as `dns:///model-server:50061`) is used as is;
 *   a DNS name with several A records is balanced over all of them by round_robin;
 * - several `ip:port` addresses (an array, or one comma-separated string) become one
 *   `ipv4:`/`ipv6:` target, and round_robin spreads calls over all of them.
 * Several DNS names cannot be mixed in one channel: use one `dns:///` name that resolves to all.
 */
export function resolveTarget(addresses: Addresses): string {
  const list = (typeof addresses === 'string' ? addresses.split(',') : [...addresses])
    .map((a) => a.trim())
    .filter((a) => a.length > 0);
  if (list.length === 0) throw new TypeError('addresses: at least one address is required');
  if (list.length === 1) return list[0]!;
  const endpoints = list.map((address) => {
    const endpoint = ipEndpoint(address);
    if (endpoint === undefined) {
      throw new TypeError(
        `addresses: '${address}' is not an ip:port; several addresses must be IP literals` +
          (SCHEME.test(address) ? '' : ' (for a DNS name use one "dns:///name:port" target)'),
      );
    }
    return endpoint;
  });
  const families = new Set(endpoints.map((e) => e.family));
  if (families.size > 1) throw new TypeError('addresses: cannot mix IPv4 and IPv6 addresses in one client');
  return `ipv${endpoints[0]!.family}:${endpoints.map((e) => e.text).join(',')}`;
}
