// express-formidable ships no types; @adminjs/express uses it to parse the back office's forms.
declare module 'express-formidable' {
  import type { RequestHandler } from 'express';

  export default function formidable(options?: Record<string, unknown>): RequestHandler;
}
