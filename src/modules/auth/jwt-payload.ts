/** Access tokens authenticate API calls; challenge tokens only prove the password step of a 2FA sign-in. */
export interface JwtPayload {
  sub: string;
  /** The user's tokenVersion when the token was issued. */
  tv: number;
  typ: 'access' | '2fa';
}

export const CHALLENGE_TTL_SECONDS = 300;
