import * as z from 'zod';
import { EX } from '../../shared/http/examples.ts';

/** In characters (code points), as the `comments.body` CHECK counts them. */
export const MAX_COMMENT_CHARS = 500;

/** Control characters other than tab and line breaks (NUL cannot even be stored). */
const CONTROL = /[^\P{Cc}\t\n\r]/u;
/** Something visible: not only whitespace or invisible format characters (zero-width space…). */
const VISIBLE = /[^\s\p{Cf}]/u;

const CommentText = z
  .string()
  .trim()
  .refine((s) => VISIBLE.test(s), 'A comment cannot be empty')
  .refine((s) => !CONTROL.test(s), 'A comment cannot contain control characters')
  .refine(
    (s) => [...s].length <= MAX_COMMENT_CHARS,
    `A comment can be at most ${MAX_COMMENT_CHARS} characters`,
  );

export const CreateCommentBody = z
  .strictObject({
    body: CommentText,
    /** Reply to this top-level comment of the same video (one level of replies). */
    parent_id: z.uuid().optional(),
  })
  .meta({ examples: [{ body: 'how did you get it to dance like that?', parent_id: EX.commentId }] });

export const UpdateCommentBody = z
  .strictObject({ body: CommentText })
  .meta({ examples: [{ body: 'the vacuum never stood a chance (edited) 😂' }] });
