import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, Length, MaxLength } from 'class-validator';

import { UserResponseDto } from '../../users/dto/user.dto.js';

export class LoginDto {
  @ApiProperty({ example: 'grant', description: 'Username or email address' })
  @IsString()
  @Length(1, 254)
  username!: string;

  @ApiProperty({ example: 'correct horse battery staple' })
  @IsString()
  @Length(1, 256)
  password!: string;
}

export class VerifyTwoFactorDto {
  @ApiProperty({ description: 'challengeToken from POST /api/auth/login (valid 5 minutes)' })
  @IsString()
  @MaxLength(2000)
  challengeToken!: string;

  @ApiProperty({
    example: '123456',
    description: 'The 6-digit code of the authenticator app, or a recovery code',
  })
  @IsString()
  @Length(1, 32)
  code!: string;
}

export class CodeDto {
  @ApiProperty({ example: '123456', description: 'The 6-digit code of the authenticator app' })
  @IsString()
  @Length(1, 32)
  code!: string;
}

export class DisableTwoFactorDto extends CodeDto {
  @ApiProperty()
  @IsString()
  @Length(1, 256)
  password!: string;
}

export class ChangePasswordDto {
  @ApiProperty()
  @IsString()
  @Length(1, 256)
  currentPassword!: string;

  @ApiProperty({ minLength: 12, description: 'At least 12 characters, not a commonly used password' })
  @IsString()
  newPassword!: string;
}

export class SignedInDto {
  @ApiProperty({ description: 'JWT access token: send as Authorization: Bearer <token>' }) token!: string;
  @ApiProperty({ type: String, format: 'date-time' }) expiresAt!: string;
  @ApiProperty({ type: UserResponseDto }) user!: UserResponseDto;
  @ApiPropertyOptional({ description: 'REQUIRE_2FA is on and this user must enrol before anything else' })
  twoFactorSetupRequired?: boolean;
}

export class TwoFactorChallengeDto {
  @ApiProperty({ enum: [true] }) twoFactorRequired!: true;
  @ApiProperty({ description: 'Send with the code to POST /api/auth/2fa/verify' }) challengeToken!: string;
}

export class TwoFactorSetupDto {
  @ApiProperty({ description: 'Base32 TOTP secret, for manual entry' }) secret!: string;
  @ApiProperty({ example: 'otpauth://totp/venture-crm:grant?secret=…&issuer=venture-crm' })
  otpauthUrl!: string;
  @ApiProperty({ description: 'PNG data URL of the QR code to scan' }) qrCodeDataUrl!: string;
}

export class RecoveryCodesDto {
  @ApiProperty({ type: [String], description: 'Ten one-time codes. Shown only now: store them safely.' })
  recoveryCodes!: string[];
}
