/** Whether a process group still has a member (signal 0 only asks, it delivers nothing). */
export function groupAlive(group: number): boolean {
  try {
    process.kill(-group, 0);
    return true;
  } catch {
    return false;
  }
}
