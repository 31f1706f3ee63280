/** What the api and the worker show clients alike (API answers, board events). */
export { occurrenceCreatedEvent } from './occurrence.js';
export { presentTask, type TaskView } from './task.js';
