import { BodyUuid } from '../../../common/dto/validators.js';
import { ChangeStageDto } from '../../opportunities/dto/opportunity.dto.js';
import { PipelineBoardQueryDto } from '../../opportunities/dto/pipeline-board.dto.js';
import type { AdminServices } from '../admin-services.js';
import { pageHandler, pageInput } from './page-kit.js';

/** A card dropped on another column: PATCH /api/opportunities/:id/stage's body, with the card's id. */
class MoveCardDto extends ChangeStageDto {
  @BodyUuid('an opportunity')
  id!: string;
}

/**
 * The pipeline board (components/PipelineBoard.jsx). Reads the board through OpportunitiesService.board;
 * `move` is PATCH /api/opportunities/:id/stage: the same service call, rules (lost needs a reason), history
 * row and version check (a stale card gets 409 STALE_VERSION), open to every role as the API's route is.
 */
export const pipelinePage = (s: AdminServices) =>
  pageHandler({
    read: async (query) => s.opportunities.board(await pageInput(PipelineBoardQueryDto, query, 'query')),
    actions: {
      move: async (fields, caller) => {
        const { id, ...move } = await pageInput(MoveCardDto, fields, 'body');
        return { data: await s.opportunities.changeStage(id.toLowerCase(), move, caller, move.version) };
      },
    },
  });
