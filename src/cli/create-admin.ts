import { randomBytes } from 'node:crypto';
import { isEmail } from 'class-validator';
import type { AppConfig } from '../config/app-config.js';
import { TransactionService } from '../database/transaction.service.js';
import { AuditService } from '../modules/audit/audit.service.js';
import { normaliseEmail, UsersService } from '../modules/users/users.service.js';
import { UsersError } from '../modules/users/users.errors.js';
import { parseOptions } from './args.js';
import { withAppContext } from './context.js';
import { CliFailure, say, type CliIo } from './io.js';

const COMMAND = 'create-admin';
const NAME_MAX = 100;

/** 120 random bits in 20 URL-safe characters: strong, and easy to paste. */
export function generatePassword(): string {
  return randomBytes(15).toString('base64url');
}

/**
 * `create-admin --email E --name N [--password P]`: adds a staff administrator. It is how the
 * first account comes into being, so it needs no one signed in; the audit trail records the
 * system as the actor. Without --password a strong one is generated and shown once.
 */
export async function createAdmin(config: AppConfig, args: string[], io: CliIo): Promise<number> {
  const options = parseOptions(COMMAND, args, ['email', 'name', 'password'] as const);
  const email = normaliseEmail(options.email ?? '');
  const name = (options.name ?? '').trim();
  if (!email) throw new CliFailure(`${COMMAND}: --email is required`);
  // The sign-in form accepts exactly what class-validator's isEmail accepts, so check the same.
  if (!isEmail(email) || email.length > 254) {
    throw new CliFailure(`${COMMAND}: "${options.email}" is not a valid e-mail address`);
  }
  if (!name) throw new CliFailure(`${COMMAND}: --name is required`);
  if ([...name].length > NAME_MAX) {
    throw new CliFailure(`${COMMAND}: --name may have at most ${NAME_MAX} characters`);
  }
  const generated = options.password === undefined;
  const password = options.password ?? generatePassword();

  const user = await withAppContext(config, async (app) => {
    const users = app.get(UsersService);
    const audit = app.get(AuditService);
    try {
      return await app.get(TransactionService).run(async (manager) => {
        const created = await users.create(manager, {
          email,
          name,
          role: 'staff_admin',
          password,
          // The operator running this vouches for the address.
          emailVerified: true,
        });
        await audit.record(manager, {
          actor: null,
          action: 'user.created',
          subjectType: 'user',
          subjectId: created.id,
          summary: { email: created.email, name: created.name, role: created.role, via: 'cli' },
        });
        return created;
      });
    } catch (error) {
      if (error instanceof UsersError) {
        throw new CliFailure(`${COMMAND}: ${error.spec.en} (${error.code})`);
      }
      throw error;
    }
  });

  say(io, `Created staff admin ${user.email} (${user.name}), id ${user.id}.`);
  if (generated) {
    say(io, `Password (shown only this once, store it safely): ${password}`);
  }
  say(io, `Sign in at ${config.PUBLIC_URL}/ with this e-mail address.`);
  return 0;
}
