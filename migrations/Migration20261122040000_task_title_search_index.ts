import { Migration } from '@mikro-orm/migrations';

/** Task search (`title` anywhere in the word, ignoring case) through a trigram index, like the other lists. */
export class Migration20261122040000_task_title_search_index extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create index "tasks_title_trgm_index" on "tasks" using gin ("title" gin_trgm_ops);`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "tasks_title_trgm_index";`);
  }
}
