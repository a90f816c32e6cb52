import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/**
 * The one error body of the API (AllExceptionsFilter): every 4xx and 5xx answers this shape. Not named
 * by each operation; the test harness checks every error response against it.
 */
export class ErrorResponseDto {
  @ApiProperty({ example: 400 }) statusCode!: number;
  @ApiProperty({ example: 'Bad Request' }) error!: string;
  @ApiProperty({ example: 'VALIDATION_FAILED', description: 'Stable, machine-readable; switch on this' })
  code!: string;
  @ApiProperty({ example: 'email: must be an email address' }) message!: string;
  @ApiPropertyOptional({
    description: 'Per-field reasons (`[{ field, message }]`) or context of the error',
    oneOf: [
      {
        type: 'array',
        items: {
          type: 'object',
          properties: { field: { type: 'string' }, message: { type: 'string' } },
          required: ['message'],
        },
      },
      { type: 'object', additionalProperties: true },
    ],
  })
  details?: unknown;
  @ApiPropertyOptional({ description: 'On 5xx: the id to find the logged error by' }) requestId?: string;
}
