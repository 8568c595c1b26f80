import { Problem } from '../../problems/problem.ts';
import type { RegisteredStep } from './index.ts';

/**
 * Send Email with saveAsDraft: Graph sends with POST .../sendMail {message}, but saves a draft
 * with POST .../messages and the message itself. Both are made from the one message expression
 * of the definition, so the draft is exactly the email that would have been sent.
 */
export const graphSendEmail: RegisteredStep = {
  run: async (ctx) => {
    if (ctx.input.saveAsDraft !== true) {
      await ctx.run({ pagination: null });
      return { sent: true };
    }
    const { request } = ctx.activity;
    if (!request.body?.expr || !/\/sendMail$/.test(request.path)) {
      throw new Problem('ACTIVITY_DEFINITION_ERROR', `The activity ${ctx.activity.key} must POST {message} to .../sendMail for graph-send-email to make drafts.`);
    }
    const draft = await ctx.call({
      method: 'POST',
      path: request.path.replace(/\/sendMail$/, '/messages'),
      body: { type: 'json', expr: `${request.body.expr} | message` },
      expectStatus: [201],
    });
    return { sent: false, draft: draft.json ?? null };
  },
};
