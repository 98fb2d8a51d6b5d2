import Hummingbird

/// Runs every control request on a ``BlockingExecutor``, so SQLite work in the handlers
/// never occupies the executor that serves the gateway's requests.
struct BlockingMiddleware<Context: RequestContext>: RouterMiddleware {
    let executor: BlockingExecutor

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        try await withTaskExecutorPreference(executor) {
            try await next(request, context)
        }
    }
}
