import { InvalidArgumentError, type Command } from 'commander';
import { DeliveryRetryError, retryFailedDelivery } from '../store/study-transitions.ts';
import { withExistingStore } from './open-store.ts';
import { printLines } from './output.ts';
import { UserError } from './problems.ts';
import { withServicePaths, type ServicePaths } from './service-paths.ts';
import { pathsFromStore } from './service-setup.ts';

export function registerDeliveries(program: Command): void {
  const deliveries = program.command('deliveries').description('the outbox: released versions on their way to each destination');

  withServicePaths(deliveries.command('retry'))
    .argument('<id>', 'the delivery (its number in dexa status or dexa review show)', parseId)
    .option('--by <name>', 'who asks: written in the audit log')
    .description('try a delivery that failed for good again: due at once, with the configured number of tries; the running service takes it within a second')
    .action(async (id: number, given: ServicePaths & { by?: string }, command: Command) => {
      const options = { ...given, ...(await pathsFromStore(given, command)) };
      const delivery = await withExistingStore(options.db, async (store) => {
        try {
          return await retryFailedDelivery(store, id, given.by ?? null);
        } catch (error) {
          if (error instanceof DeliveryRetryError) throw new UserError(error.message);
          throw error;
        }
      });
      printLines([`delivery ${delivery.id} (version ${delivery.version} to ${delivery.destination}) is due again`]);
    });
}

function parseId(value: string): number {
  if (!/^[1-9]\d{0,15}$/.test(value)) throw new InvalidArgumentError('a delivery number');
  return Number(value);
}
