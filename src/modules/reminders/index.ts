export { outboxReminderNotifier, type ReminderNotifier, ReminderScheduler } from './reminder-scheduler.js';
export { listReminders, listUnresolvedWithPublication } from './reminders.repo.js';
