/**
 * "No activity in N days" as SQL conditions on a contacts or organizations row (`alias`): no communication
 * logged with the contact (or with one of the organization's contacts) since then. The communications'
 * contact index serves the lookups.
 */
export const contactQuietSql = (alias: string, days: number): string =>
  `not exists (select 1 from "communications" qc where qc."contact_id" = ${alias}."id"` +
  ` and qc."communication_date" >= now() - make_interval(days => ${Math.trunc(days)}))`;

export const organizationQuietSql = (alias: string, days: number): string =>
  `not exists (select 1 from "communications" qc join "contacts" qk on qk."id" = qc."contact_id"` +
  ` where qk."organization_id" = ${alias}."id" and qk."deleted_at" is null` +
  ` and qc."communication_date" >= now() - make_interval(days => ${Math.trunc(days)}))`;
