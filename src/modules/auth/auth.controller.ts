import { Body, Controller, Get, HttpCode, HttpStatus, Patch, Post, UseGuards } from '@nestjs/common';
import {
  ApiExtraModels,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  getSchemaPath,
} from '@nestjs/swagger';
import { ThrottlerGuard } from '@nestjs/throttler';

import { type AuthUser, CurrentUser } from '../../common/auth/auth-user.js';
import { AllowWithoutTwoFactor, Auth, Public, SessionOnly } from '../../common/decorators/auth.decorator.js';
import { MailPreferencesDto, UserEnvelopeDto } from '../users/dto/user.dto.js';
import { AccountService } from './account.service.js';
import { AuthService } from './auth.service.js';
import {
  ChangePasswordDto,
  CodeDto,
  DisableTwoFactorDto,
  LoginDto,
  RecoveryCodesDto,
  SignedInDto,
  TwoFactorChallengeDto,
  TwoFactorSetupDto,
  VerifyTwoFactorDto,
} from './dto/auth.dto.js';

@ApiTags('auth')
@ApiExtraModels(SignedInDto, TwoFactorChallengeDto)
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly account: AccountService,
  ) {}

  @Post('login')
  @Public()
  @UseGuards(ThrottlerGuard)
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Sign in with username (or email) and password' })
  @ApiOkResponse({
    description: 'A token, or — for users with 2FA — a challenge to complete with POST /api/auth/2fa/verify',
    schema: { oneOf: [{ $ref: getSchemaPath(SignedInDto) }, { $ref: getSchemaPath(TwoFactorChallengeDto) }] },
  })
  @ApiTooManyRequestsResponse({ description: 'Too many attempts from this address or for this account' })
  login(@Body() dto: LoginDto): Promise<SignedInDto | TwoFactorChallengeDto> {
    return this.auth.login(dto.username, dto.password);
  }

  @Post('2fa/verify')
  @Public()
  @UseGuards(ThrottlerGuard)
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Complete a 2FA sign-in with the authenticator code or a recovery code' })
  @ApiOkResponse({ type: SignedInDto })
  verify(@Body() dto: VerifyTwoFactorDto): Promise<SignedInDto> {
    return this.auth.verifyTwoFactor(dto.challengeToken, dto.code);
  }

  @Get('me')
  @Auth()
  @AllowWithoutTwoFactor()
  @ApiOperation({ summary: 'The signed-in user' })
  @ApiOkResponse({ type: UserEnvelopeDto })
  async me(@CurrentUser() caller: AuthUser): Promise<UserEnvelopeDto> {
    return { data: await this.account.me(caller) };
  }

  @Patch('me')
  @Auth()
  @ApiOperation({ summary: 'Your own preferences: which mails you receive (digest, task reminders)' })
  @ApiOkResponse({ type: UserEnvelopeDto })
  async updateMe(@CurrentUser() caller: AuthUser, @Body() dto: MailPreferencesDto): Promise<UserEnvelopeDto> {
    return { data: await this.account.updateMe(caller, dto) };
  }

  @Post('change-password')
  @Auth()
  @SessionOnly()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Change your password (ends all your sessions: sign in again)' })
  @ApiNoContentResponse({ description: 'Changed; every session of yours has ended' })
  async changePassword(@CurrentUser() caller: AuthUser, @Body() dto: ChangePasswordDto): Promise<void> {
    await this.auth.changePassword(caller, dto.currentPassword, dto.newPassword);
  }

  @Post('2fa/setup')
  @Auth()
  @SessionOnly()
  @AllowWithoutTwoFactor()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Start 2FA enrolment: a new TOTP secret, pending until confirmed with /2fa/enable',
  })
  @ApiOkResponse({ type: TwoFactorSetupDto })
  setup(@CurrentUser() caller: AuthUser): Promise<TwoFactorSetupDto> {
    return this.account.setupTwoFactor(caller);
  }

  @Post('2fa/enable')
  @Auth()
  @SessionOnly()
  @AllowWithoutTwoFactor()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Confirm enrolment with a code from the app; answers the recovery codes, once' })
  @ApiOkResponse({ type: RecoveryCodesDto })
  async enable(@CurrentUser() caller: AuthUser, @Body() dto: CodeDto): Promise<RecoveryCodesDto> {
    return { recoveryCodes: await this.account.enableTwoFactor(caller, dto.code) };
  }

  @Post('2fa/disable')
  @Auth()
  @SessionOnly()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary: 'Turn 2FA off (password and a current code or recovery code); ends all your sessions',
  })
  @ApiNoContentResponse({ description: 'Two-factor sign-in is off; every session of yours has ended' })
  async disable(@CurrentUser() caller: AuthUser, @Body() dto: DisableTwoFactorDto): Promise<void> {
    await this.account.disableTwoFactor(caller, dto.password, dto.code);
  }
}
