import type { DepartmentConfig } from './config-schema.ts';

/** The names of the configured destinations: what every release owes a delivery to. */
export function destinationNames(config: DepartmentConfig): string[] {
  return config.deliveries.destinations.map((destination) => destination.name);
}
