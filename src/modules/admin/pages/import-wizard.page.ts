import type { AuthUser } from '../../../common/auth/auth-user.js';
import { Role } from '../../../common/auth/role.js';
import { PagingQueryDto } from '../../../common/dto/paging.dto.js';
import { BodyUuid } from '../../../common/dto/validators.js';
import { ValidationError } from '../../../common/errors/index.js';
import { SuggestMappingDto } from '../../import/dto/import.dto.js';
import { ImportEntityType } from '../../import/import-fields.js';
import { tableFromCsv } from '../../import/import-table.js';
import { IMPORT_FILE_LIMIT, type Upload } from '../../import/import-upload.js';
import type { AdminServices } from '../admin-services.js';
import { assertRole, pageHandler, pageInput } from './page-kit.js';

/** Rows of the file shown under each column while mapping it. */
const SAMPLE_ROWS = 3;

/** DELETE /api/import/batches/:id, from the page: the batch to undo. */
class UndoBatchDto {
  @BodyUuid('an import batch')
  id!: string;
}

/**
 * The file a write of this page carries: the back office reads it as the API's upload does (readUpload, within
 * IMPORT_FILE_LIMIT; admin-http.ts `adminUpload`) into the fields `file` (its text) and `fileName`.
 */
function uploadOf(fields: Record<string, unknown>): Upload {
  const { file, fileName, ...options } = fields;
  if (typeof file !== 'string') throw ValidationError.field('file', 'is required: the CSV file');
  return {
    text: file,
    fileName: typeof fileName === 'string' ? fileName : '',
    fields: Object.fromEntries(Object.entries(options).map(([k, v]) => [k, String(v)])),
  };
}

/**
 * The import wizard (components/ImportWizard.jsx), managers and admins as /api/import: the entity types and
 * the batches (GET /api/import/batches); `suggest` is POST /api/import/suggest for the file's header row with
 * what each column may be mapped to; `dryRun` and `run` are POST /api/import/upload (the same ImportRequests,
 * options and report; audited with source `import`); `undo` is DELETE /api/import/batches/:id.
 */
export const importWizardPage = (s: AdminServices) => {
  const manager = (caller: AuthUser) => assertRole(caller, Role.Manager);
  const run = async (fields: Record<string, unknown>, caller: AuthUser, dryRun: boolean) => {
    manager(caller);
    return { report: await s.importRequests.fromFile(uploadOf({ ...fields, dryRun: String(dryRun) })) };
  };
  return pageHandler({
    read: async (query, caller) => {
      manager(caller);
      const paging = await pageInput(PagingQueryDto, query, 'query');
      return {
        entityTypes: Object.values(ImportEntityType),
        fileLimit: IMPORT_FILE_LIMIT,
        batches: await s.imports.list(paging),
      };
    },
    actions: {
      suggest: async (fields, caller) => {
        manager(caller);
        const upload = uploadOf(fields);
        const table = tableFromCsv(upload.text, 'file');
        const { entityType } = await pageInput(
          SuggestMappingDto,
          { entityType: upload.fields.entityType, headers: table.headers },
          'body',
        );
        const [mapping, targets] = await Promise.all([
          s.imports.suggest(entityType, table.headers),
          s.imports.targets(entityType),
        ]);
        return {
          entityType,
          fileName: upload.fileName,
          rows: table.rows.length,
          columns: table.headers.map((name, i) => ({
            name,
            samples: table.rows.slice(0, SAMPLE_ROWS).map((cells) => cells[i] ?? ''),
          })),
          mapping,
          targets,
        };
      },
      dryRun: (fields, caller) => run(fields, caller, true),
      run: (fields, caller) => run(fields, caller, false),
      undo: async (fields, caller) => {
        manager(caller);
        const { id } = await pageInput(UndoBatchDto, fields, 'body');
        return { batch: await s.imports.undo(id.toLowerCase(), caller) };
      },
    },
  });
};
