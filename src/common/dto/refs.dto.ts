import { ApiProperty } from '@nestjs/swagger';

/** How a list or detail names a related record: enough to show and link it, no more. */
export class RefDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
}

export class UserRefDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() username!: string;
  @ApiProperty() fullName!: string;
}

export class TagRefDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ example: '#2563eb' }) color!: string;
}

interface Named {
  id: string;
  name: string;
}

interface UserLike {
  id: string;
  username: string;
  fullName: string;
}

interface Loadable<T> {
  isInitialized(): boolean;
  getEntity(): T;
}

export function ref<T extends Named>(value: Loadable<T> | T | null | undefined): RefDto | null {
  const entity = unwrap(value);
  return entity ? { id: entity.id, name: entity.name } : null;
}

export function userRef(value: Loadable<UserLike> | UserLike | null | undefined): UserRefDto | null {
  const user = unwrap(value);
  return user ? { id: user.id, username: user.username, fullName: user.fullName } : null;
}

function unwrap<T>(value: Loadable<T> | T | null | undefined): T | null {
  if (!value) return null;
  if (typeof (value as Loadable<T>).getEntity === 'function') {
    const loadable = value as Loadable<T>;
    // Populate before mapping: an unloaded reference here would mean a query per row.
    if (!loadable.isInitialized()) throw new Error('Reference not loaded: populate it in the query');
    return loadable.getEntity();
  }
  return value as T;
}

/** How a contact is named in refs: "First Last" (the last name may be empty). */
export function personName(person: { firstName: string; lastName: string }): string {
  return [person.firstName, person.lastName].filter(Boolean).join(' ');
}
