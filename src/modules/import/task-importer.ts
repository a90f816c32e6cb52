import { assignFields, fieldValues } from '../../common/entities/fields.js';
import { Contact } from '../contacts/contact.entity.js';
import { Opportunity } from '../opportunities/opportunity.entity.js';
import { CreateTaskDto } from '../tasks/dto/task.dto.js';
import { Task, TaskStatus } from '../tasks/task.entity.js';
import { setTaskStatus, TASK_OPTIONAL_FIELDS } from '../tasks/tasks.service.js';
import { User } from '../users/user.entity.js';
import type { RowValues } from './import-context.js';
import { plainFieldNames, TASK_FIELDS } from './pipeline-fields.js';
import { RecordImporter, type Resolved } from './record-importer.js';

/** Plain fields a task row may set, as the API's DTO names them. */
const PLAIN = plainFieldNames(TASK_FIELDS);

export const TASK_SNAPSHOT = [
  ...PLAIN,
  'completedAt',
  'assignee',
  'contact',
  'organization',
  'opportunity',
] as const;

interface TaskRow extends Resolved {
  title: string;
  contactId: string | null | undefined;
  dueDate: string | null;
}

/**
 * Task rows: the same title (case ignored) for the same contact on the same due date is the same task. Written as
 * the API writes them: assigned to whoever imports unless the row names someone, `done` stamps completedAt; an
 * organization is found by name or created, a contact and an opportunity must exist.
 */
export class TaskImporter extends RecordImporter<Task, TaskRow> {
  protected readonly entityType = 'task';
  protected readonly entity = Task;
  protected readonly snapshot = TASK_SNAPSHOT;
  protected readonly required = ['title'];

  protected async resolve(_row: number, values: RowValues): Promise<TaskRow> {
    const contactId = await this.contactId(values);
    const title = this.textKey(values, 'title');
    const dueDate = (values.fields.get('dueDate') as string | null | undefined) ?? null;
    return { key: `${title}|${contactId ?? ''}|${dueDate ?? ''}`, title, contactId, dueDate };
  }

  protected existing(r: TaskRow): Promise<string | null> {
    return this.firstId(
      `select id from tasks where lower(btrim(title)) = ? and contact_id is not distinct from ?
          and due_date is not distinct from ?::date
        order by created_at, id limit 1`,
      [r.title, r.contactId ?? null, r.dueDate],
    );
  }

  protected async create(row: number, values: RowValues, r: TaskRow): Promise<Task> {
    const plain = { title: '', ...this.plain(values, PLAIN) };
    const dto = await this.ctx.validateDto(CreateTaskDto, plain, values);
    const links = await this.taskLinks(row, values);
    const task = this.ctx.em.create(Task, {
      title: dto.title,
      ...fieldValues(Task, dto, TASK_OPTIONAL_FIELDS),
      createdBy: this.ref(User, this.actorId),
      assignee: links.assignee === undefined ? this.ref(User, this.actorId) : links.assignee,
      contact: this.ref(Contact, r.contactId) ?? null,
      organization: links.organization ?? null,
      opportunity: links.opportunity ?? null,
    });
    setTaskStatus(task, dto.status ?? TaskStatus.Open);
    return task;
  }

  protected async update(row: number, values: RowValues, r: TaskRow, task: Task): Promise<void> {
    // title is always mapped: the create rules hold for an update too (an empty title is refused).
    const dto = await this.ctx.validateDto(
      CreateTaskDto,
      { title: '', ...this.plain(values, PLAIN) },
      values,
    );
    const links = await this.taskLinks(row, values);
    if (dto.title !== undefined) task.title = dto.title;
    assignFields(task, dto, TASK_OPTIONAL_FIELDS, false);
    if (dto.status !== undefined) setTaskStatus(task, dto.status ?? TaskStatus.Open);
    if (r.contactId !== undefined) task.contact = this.ref(Contact, r.contactId) as never;
    for (const field of ['assignee', 'organization', 'opportunity'] as const) {
      if (links[field] !== undefined) task[field] = links[field] as never;
    }
  }

  /** Assignee, organization (found or created) and opportunity; undefined when not mapped. */
  private async taskLinks(row: number, values: RowValues) {
    const assignee = await this.user(values, 'assignee');
    const opportunity = this.ref(Opportunity, await this.opportunityId(values));
    return { assignee, opportunity, organization: await this.organization(row, values) };
  }
}
