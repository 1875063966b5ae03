/**
 * The one way a test waits for something that happens after the answer it already has (a listener's row, a
 * notification, a process coming back): poll with a deadline. The deadline is generous, so a busy machine does not
 * fail the test; the poll is short, so an idle one does not wait. Never sleep for a fixed time instead.
 *
 * `probe` passes by returning (its value is returned) and fails by throwing (jest's `expect` inside it); after the
 * deadline the last failure is thrown, so the test reports what was still wrong.
 */
export async function eventually<T>(
  probe: () => T | Promise<T>,
  { timeoutMs = 15_000, intervalMs = 25 }: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await probe();
    } catch (err) {
      if (Date.now() >= deadline) throw err;
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
