let last: Promise<void> = Promise.resolve();

/**
 * Resolves in a task of its own, after every earlier caller's: work that would otherwise run back to back in one
 * task (a hundred support thumbnails composed at once when their slices are held in the page) is spread over many,
 * between which the views can draw.
 */
export function ownTask(): Promise<void> {
  const mine = last.then(() => new Promise<void>((resolve) => setTimeout(resolve, 0)));
  last = mine;
  return mine;
}
