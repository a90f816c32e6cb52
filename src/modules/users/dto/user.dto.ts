import { ApiProperty, ApiPropertyOptional, IntersectionType, PartialType, PickType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsEmail,
  IsEnum,
  IsOptional,
  IsString,
  Length,
  Matches,
  MaxLength,
} from 'class-validator';

import { Role } from '../../../common/auth/role.js';
import { ListMetaDto, PagingQueryDto } from '../../../common/dto/paging.dto.js';
import type { User } from '../user.entity.js';

const trim = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim() : value);

/** What the API says about a user: never the password hash, TOTP secret or recovery codes. */
export class UserResponseDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'grant' }) username!: string;
  @ApiProperty({ example: 'grant@fund.example' }) email!: string;
  @ApiProperty({ example: 'Grant Ellis' }) fullName!: string;
  @ApiProperty({ enum: Role }) role!: Role;
  @ApiProperty() isActive!: boolean;
  @ApiProperty() twoFactorEnabled!: boolean;
  @ApiProperty({ description: 'Receives the daily digest mail' }) digestEnabled!: boolean;
  @ApiProperty({ description: 'Receives a mail when one of their tasks falls due' })
  remindersEnabled!: boolean;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) lastLoginAt!: Date | null;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt!: Date;
  @ApiProperty({ type: String, format: 'date-time' }) updatedAt!: Date;

  static from(this: void, user: User): UserResponseDto {
    return {
      id: user.id,
      username: user.username,
      email: user.email,
      fullName: user.fullName,
      role: user.role,
      isActive: user.isActive,
      twoFactorEnabled: user.twoFactorEnabled,
      digestEnabled: user.digestEnabled,
      remindersEnabled: user.remindersEnabled,
      lastLoginAt: user.lastLoginAt ?? null,
      createdAt: user.createdAt,
      updatedAt: user.updatedAt,
    };
  }
}

export class UserEnvelopeDto {
  @ApiProperty({ type: UserResponseDto }) data!: UserResponseDto;
}

export class UserListDto extends ListMetaDto {
  @ApiProperty({ type: [UserResponseDto] }) data!: UserResponseDto[];
}

export class CreateUserDto {
  @ApiProperty({ example: 'grant', description: '2–64 characters: letters, digits, dot, dash, underscore' })
  @Transform(trim)
  @IsString()
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._-]{1,63}$/, {
    message:
      'must be 2–64 characters of letters, digits, dot, dash or underscore, starting with a letter or digit',
  })
  username!: string;

  @ApiProperty({ example: 'grant@fund.example' })
  @Transform(trim)
  @IsEmail({}, { message: 'must be a valid email address' })
  @MaxLength(254)
  email!: string;

  @ApiProperty({ example: 'Grant Ellis' })
  @Transform(trim)
  @IsString()
  @Length(1, 200)
  fullName!: string;

  @ApiProperty({ enum: Role })
  @IsEnum(Role, { message: `must be one of: ${Object.values(Role).join(', ')}` })
  role!: Role;

  @ApiProperty({ description: 'At least 12 characters, not a commonly used password', minLength: 12 })
  @IsString()
  password!: string;
}

/** Mail a user receives: set by the user (PATCH /api/auth/me) or by an admin (PATCH /api/users/:id). */
export class MailPreferencesDto {
  @ApiPropertyOptional({
    description: 'The daily digest mail (overdue and due tasks, next actions, quiet deals)',
  })
  @IsOptional()
  @IsBoolean({ message: 'must be true or false' })
  digestEnabled?: boolean;

  @ApiPropertyOptional({ description: 'A mail when one of their tasks falls due' })
  @IsOptional()
  @IsBoolean({ message: 'must be true or false' })
  remindersEnabled?: boolean;
}

export class UpdateUserDto extends IntersectionType(
  PartialType(PickType(CreateUserDto, ['email', 'fullName', 'role'] as const)),
  MailPreferencesDto,
) {
  @ApiPropertyOptional({
    description:
      'false deactivates the user: they can no longer sign in, their sessions and API tokens stop working',
  })
  @IsOptional()
  @IsBoolean()
  isActive?: boolean;
}

export class ListUsersQueryDto extends PagingQueryDto {
  @ApiPropertyOptional({ description: 'Matches username, email or full name' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  search?: string;

  @ApiPropertyOptional({ enum: Role })
  @IsOptional()
  @IsEnum(Role, { message: `must be one of: ${Object.values(Role).join(', ')}` })
  role?: Role;
}
