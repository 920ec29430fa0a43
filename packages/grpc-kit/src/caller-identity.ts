import type { PeerCertificate } from 'node:tls';

/** Who is calling, as far as the server could verify it. */
export interface CallerIdentity {
  /**
   * The name the authorization policy knows the caller by (the first of `names` the policy lists),
   * or, when it lists none, the caller's first name.
   */
  readonly name: string;
  /** Every name the caller proved: a certificate's URI, DNS and email SANs then its CN; or a token's identity. */
  readonly names: readonly string[];
  /** How the caller was identified. */
  readonly via: 'certificate' | 'token';
}

const SAN_ORDER = ['URI', 'DNS', 'email'] as const;

/**
 * The names a verified client certificate proves: its subjectAltName URIs (e.g. SPIFFE ids), DNS
 * names and email addresses, in that order, then its subject CN.
 */
export function certificateNames(certificate: PeerCertificate): string[] {
  const sans = (certificate.subjectaltname ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0)
    .map((entry) => {
      const colon = entry.indexOf(':');
      return { type: entry.slice(0, colon), value: entry.slice(colon + 1) };
    });
  const names: string[] = [];
  for (const type of SAN_ORDER) {
    for (const san of sans) if (san.type === type && san.value.length > 0) names.push(san.value);
  }
  const cn = certificate.subject?.CN;
  for (const value of Array.isArray(cn) ? cn : cn === undefined ? [] : [cn]) {
    if (value.length > 0 && !names.includes(value)) names.push(value);
  }
  return names;
}
