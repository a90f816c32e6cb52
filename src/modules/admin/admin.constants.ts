/** Where the back office is mounted. The API lives under /api; nothing else shares this prefix. */
export const ADMIN_ROOT = '/admin';

/** The session cookie of the back office (the API uses bearer tokens, never cookies). */
export const ADMIN_COOKIE_NAME = 'vcrm_admin';

/** The PostgreSQL table connect-pg-simple keeps sessions in (migration admin_sessions). */
export const ADMIN_SESSION_TABLE = 'admin_sessions';
