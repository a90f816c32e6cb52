import { ApiProperty } from '@nestjs/swagger';

import { RefDto, UserRefDto } from '../../../common/dto/refs.dto.js';
import { QueryUuid } from '../../../common/dto/validators.js';
import { OpportunityStage } from '../opportunity.entity.js';
import { OpportunityResponseDto } from './opportunity-response.dto.js';

/** How many cards a board column shows; its count and totals still cover every opportunity in the stage. */
export const BOARD_CARDS_PER_STAGE = 50;

export class PipelineBoardQueryDto {
  @QueryUuid('a fund')
  fundId?: string;

  @QueryUuid('a user')
  ownerId?: string;
}

export class CurrencyTotalDto {
  @ApiProperty({ example: 'USD' }) currency!: string;
  @ApiProperty({ description: 'Sum of expectedAmount (opportunities without one count as 0)' })
  amount!: number;
  @ApiProperty({ description: 'Opportunities in this currency' }) count!: number;
}

export class PipelineColumnDto {
  @ApiProperty({ enum: OpportunityStage }) stage!: OpportunityStage;
  @ApiProperty({ description: 'Live opportunities in the stage (with the filters)' }) count!: number;
  @ApiProperty({ type: [CurrencyTotalDto], description: 'Per currency, largest first: never added together' })
  totals!: CurrencyTotalDto[];
  @ApiProperty({
    type: [OpportunityResponseDto],
    description: `The ${BOARD_CARDS_PER_STAGE} most recently updated (a move updates), newest first`,
  })
  cards!: OpportunityResponseDto[];
}

export class PipelineBoardDto {
  @ApiProperty({ type: [PipelineColumnDto], description: 'One column per stage, in pipeline order' })
  columns!: PipelineColumnDto[];
  @ApiProperty({ type: [RefDto], description: 'Every fund, by name: the fund filter' }) funds!: RefDto[];
  @ApiProperty({ type: [UserRefDto], description: 'Users owning a live opportunity: the owner filter' })
  owners!: UserRefDto[];
}
