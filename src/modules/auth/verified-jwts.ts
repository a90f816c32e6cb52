/**
 * Access JWTs whose signature has been checked, with their payload, until they expire. Checking one (HMAC,
 * base64 and JSON) cost more than the rest of authenticating a request, for the same token on every request of
 * a session. Keyed by the token's whole text, so only the exact token that was verified is trusted; its expiry is
 * checked on every use. Revocation does not rely on this: the user's tokenVersion is compared on every request.
 */
export class VerifiedJwts<P extends { exp?: number }> {
  private readonly payloads = new Map<string, P>();

  constructor(private readonly max = 10_000) {}

  /** The payload of `token`, verified by `verify` (which throws on a bad token) unless already known; expired: undefined. */
  payload(token: string, verify: (token: string) => P, now = Date.now()): P | undefined {
    let payload = this.payloads.get(token);
    if (!payload) {
      try {
        payload = verify(token);
      } catch {
        return undefined;
      }
      if (typeof payload.exp !== 'number') return payload;
      if (this.payloads.size >= this.max) this.payloads.delete(this.payloads.keys().next().value!);
      this.payloads.set(token, payload);
    }
    if (typeof payload.exp === 'number' && payload.exp * 1000 <= now) {
      this.payloads.delete(token);
      return undefined;
    }
    return payload;
  }
}
