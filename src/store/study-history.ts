import type { Repository } from './repository.ts';

export class StudyHistory {
  readonly #r: Repository;

  constructor(repository: Repository) {
    this.#r = repository;
  }

  get repository(): Repository {
    return this.#r;
  }
}
