/**
 * A failed call to the Kubernetes API, with a message that says what to do. Its own file so that
 * the CLI's error handler can recognise it without loading @kubernetes/client-node.
 */
export class KubeError extends Error {
  override name = 'KubeError';
  constructor(
    message: string,
    readonly status: number | undefined,
  ) {
    super(message);
  }
}
