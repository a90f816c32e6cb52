import { Migration } from '@mikro-orm/migrations';

export class Migration20261122000000_foundation extends Migration {
  override up(): void {
    // Trigram indexes back the "matches anywhere in the word" search on names, emails and organizations.
    this.addSql('create extension if not exists pg_trgm;');
  }

  override down(): void {
    this.addSql('drop extension if exists pg_trgm;');
  }
}
