/** Enums shared by several CRM entities. Each is a PostgreSQL enum type of the same name in snake_case. */

export enum Priority {
  Low = 'low',
  Medium = 'medium',
  High = 'high',
}

export enum ContactMethod {
  Email = 'email',
  Phone = 'phone',
  Text = 'text',
  Video = 'video',
  InPerson = 'in_person',
  Linkedin = 'linkedin',
}

export const enumValues = (e: Record<string, string>): string[] => Object.values(e);

/** class-validator message listing the accepted values, e.g. "must be one of: low, medium, high". */
export const oneOf = (e: Record<string, string>): { message: string } => ({
  message: `must be one of: ${enumValues(e).join(', ')}`,
});
