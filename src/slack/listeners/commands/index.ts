import type { AllMiddlewareArgs, App, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { errorSummary } from '../../../errors';
import { helpMessage, usageMessage } from '../../blocks/help';
import type { AckDeps } from '../../deps';
import { type ParsedCommand, parseInterceptCommand, parseQcCommand } from '../../parse';
import { requestIdOf } from '../enqueue';
import { type CommandCall, reply, say } from './call';
import * as on from './handlers';

type CommandArgs = SlackCommandMiddlewareArgs & AllMiddlewareArgs;

/** `/intercept` and `/qc`: parse, validate, look up the link, enqueue, ack. No gateway call here. */
export function registerCommands(app: App, deps: AckDeps): void {
  app.command('/intercept', (args) =>
    runCommand(deps, args, parseInterceptCommand(args.command.text ?? '', deps.maxAgentId)),
  );
  app.command('/qc', (args) =>
    runCommand(deps, args, parseQcCommand(args.command.text ?? '', deps.maxAgentId)),
  );
}

function dispatch(call: CommandCall, parsed: ParsedCommand): Promise<void> {
  switch (parsed.kind) {
    case 'help':
      return reply(call, helpMessage(parsed.topic));
    case 'usage':
      return reply(call, usageMessage(parsed));
    case 'qc':
      return on.qcOp(call, parsed);
    case 'confirm':
      return on.confirm(call, parsed);
    case 'permissions':
      return on.permissions(call, parsed);
    case 'who':
      return on.who(call, parsed);
    case 'audit':
      return on.audit(call, parsed);
    case 'floor':
      return on.floor(call, parsed);
    case 'link':
      return on.link(call, parsed);
    case 'unlink':
      return on.unlink(call, parsed);
    case 'status':
      return on.status(call);
    case 'signout':
      return on.signOut(call);
    case 'signin':
      return on.signIn(call);
  }
}

async function runCommand(deps: AckDeps, args: CommandArgs, parsed: ParsedCommand): Promise<void> {
  const { command, ack, client, context } = args;
  const call: CommandCall = {
    deps,
    command,
    slack: {
      teamId: command.team_id,
      userId: command.user_id,
      channelId: command.channel_id,
      responseUrl: command.response_url,
      // Every job enqueued here follows a progress note in the ack: its answer takes the note's place.
      ackNote: true,
    },
    requestId: requestIdOf(command.team_id, command.user_id, command.trigger_id),
    ack,
    client,
    context,
  };
  try {
    await dispatch(call, parsed);
  } catch (err) {
    deps.logger.error({ command: command.command, err: errorSummary(err) }, 'command failed');
    await say(
      call,
      ':warning: qc-slack could not take the request right now (internal error). Nothing was sent to the gateway; try again in a moment.',
    );
  }
}
