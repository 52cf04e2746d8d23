export { outboxReminderNotifier, type Reminder, type ReminderNotifier } from './reminder-notifier.js';
export { ReminderScheduler } from './reminder-scheduler.js';
export { listReminders, listUnresolvedWithPublication } from './reminders.repo.js';
