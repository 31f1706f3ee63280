/** Where a calendar app fetches a feed: the API's public address, with the secret as the file name. */
export const feedUrl = (publicUrl: string, token: string) =>
  `${publicUrl.replace(/\/+$/, '')}/api/v1/calendar/${token}.ics`;

/** Where a task opens in the web app (the link in each event's description). */
export const taskUrl = (publicUrl: string, taskId: string) =>
  `${publicUrl.replace(/\/+$/, '')}/tasks/${taskId}`;
