import { assignFields, fieldValues } from '../../common/entities/fields.js';
import { ORGANIZATION_OPTIONAL_FIELDS } from '../organizations/organizations.service.js';
import { ValidationError } from '../../common/errors/index.js';
import { CreateOrganizationDto, UpdateOrganizationDto } from '../organizations/dto/organization.dto.js';
import { Organization } from '../organizations/organization.entity.js';
import { ImportRecordAction } from './import-batch.entity.js';
import type { ImportContext, RowValues } from './import-context.js';
import {
  changedFields,
  type EntityImporter,
  mappedFields,
  type RowOutcome,
  same,
  sameSnapshot,
  snapshotOf,
} from './importer.js';
import { OnDuplicate } from './import-types.js';
import { nameKey } from './import-values.js';

/** Plain fields an organization row may set, as the API's DTO names them. */
export const ORGANIZATION_FIELDS = [
  'name',
  'type',
  'industry',
  'website',
  'phone',
  'email',
  'address',
  'city',
  'state',
  'country',
  'description',
] as const;

export const ORGANIZATION_SNAPSHOT = [...ORGANIZATION_FIELDS, 'tags', 'customFields'] as const;

/** Organization rows, deduped by name (case, spacing and punctuation ignored) against the database and the file. */
export class OrganizationImporter implements EntityImporter {
  /** Name keys of this file's rows so far: a second row for one organization is a duplicate. */
  private readonly seen = new Map<string, string>();

  constructor(private readonly ctx: ImportContext) {}

  validateMapping(targets: Set<string>): void {
    if (!targets.has('name')) throw ValidationError.field('mapping', 'no column is mapped to name');
  }

  async prepare(): Promise<void> {}

  async importRow(row: number, values: RowValues): Promise<RowOutcome> {
    const plain = mappedFields(values, ORGANIZATION_FIELDS);
    plain.name ??= '';
    const key = nameKey(String(plain.name));
    const earlier = this.seen.get(key);
    if (earlier && key !== '') return { kind: 'skipped', reason: 'duplicate', recordId: earlier };
    const outcome = await this.write(row, values, plain);
    this.seen.set(key, outcome.recordId!);
    return outcome;
  }

  private async write(row: number, values: RowValues, plain: Record<string, unknown>): Promise<RowOutcome> {
    const existing = await this.ctx.findOrganization(String(plain.name));
    if (existing && this.ctx.options.onDuplicate === OnDuplicate.Skip) {
      return { kind: 'skipped', reason: 'duplicate', recordId: existing.id };
    }
    if (existing && this.ctx.options.onDuplicate === OnDuplicate.Update) {
      return this.update(
        row,
        values,
        plain,
        await this.ctx.em.findOneOrFail(Organization, existing.id, { populate: ['tags'] }),
      );
    }
    const dto = await this.ctx.validateDto(CreateOrganizationDto, plain, values);
    const customFields = this.ctx.checkCustomFields(values, 'create', {});
    const tagNames = values.fields.get('tags') as string[] | undefined;
    const org = this.ctx.em.create(Organization, {
      name: dto.name,
      ...fieldValues(Organization, dto, ORGANIZATION_OPTIONAL_FIELDS),
      customFields,
    });
    if (tagNames) org.tags.set(await this.ctx.linkTags(row, tagNames));
    await this.ctx.addOrganization(org);
    this.ctx.touch(row, 'organization', org, ImportRecordAction.Created);
    return { kind: 'created', recordId: org.id };
  }

  private async update(
    row: number,
    values: RowValues,
    plain: Record<string, unknown>,
    org: Organization,
  ): Promise<RowOutcome> {
    const dto = await this.ctx.validateDto(UpdateOrganizationDto, plain, values);
    const customFields = this.ctx.checkCustomFields(values, 'patch', org.customFields);
    const tagNames = values.fields.get('tags') as string[] | undefined;
    const tags = tagNames && (await this.ctx.linkTags(row, tagNames));
    const before = snapshotOf(org, ORGANIZATION_SNAPSHOT);
    if (dto.name !== undefined) org.name = dto.name;
    assignFields(org, dto, ORGANIZATION_OPTIONAL_FIELDS, false);
    if (tags && !same(tags.map((t) => t.id).sort(), before.tags)) {
      org.tags.set(tags);
      // A change of the tags alone must still change the row, so its version tells undo it was changed.
      org.updatedAt = new Date();
    }
    if (!same(customFields, org.customFields)) org.customFields = customFields;
    const after = snapshotOf(org, ORGANIZATION_SNAPSHOT);
    if (sameSnapshot(before, after)) return { kind: 'skipped', reason: 'unchanged', recordId: org.id };
    this.ctx.touch(row, 'organization', org, ImportRecordAction.Updated, changedFields(before, after));
    return { kind: 'updated', recordId: org.id };
  }
}
