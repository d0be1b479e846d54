import * as z from 'zod/mini';
import { EX } from '../../shared/http/examples.ts';
import { userText } from '../../shared/http/text.ts';

/** In characters (code points), as the `comments.body` CHECK counts them. */
export const MAX_COMMENT_CHARS = 500;

const CommentText = userText({ label: 'A comment', min: 1, max: MAX_COMMENT_CHARS });

export const CreateCommentBody = z
  .strictObject({
    body: CommentText,
    /** Reply to this top-level comment of the same video (one level of replies). */
    parent_id: z.optional(z.uuid()),
  })
  .register(z.globalRegistry, {
    examples: [{ body: 'how did you get it to dance like that?', parent_id: EX.commentId }],
  });

export const UpdateCommentBody = z
  .strictObject({ body: CommentText })
  .register(z.globalRegistry, { examples: [{ body: 'the vacuum never stood a chance (edited) 😂' }] });
