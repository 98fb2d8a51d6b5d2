import HTTPTypes
import Hummingbird

/// Answers a request no route takes in the API's own error shape, instead of Hummingbird's
/// empty 404: a 405 naming the methods a known path takes (`Allow`), else a 404.
struct UnknownRouteMiddleware<Context: RequestContext>: RouterMiddleware {
    /// The methods a path takes; empty for a path no route serves.
    let methods: @Sendable (_ path: String) -> [HTTPRequest.Method]
    /// The error response for a status and message.
    let answer: @Sendable (_ status: HTTPResponse.Status, _ message: String) -> Response

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound && error.body == nil {
            // Only the router's own "no route" error: a handler's 404 has its message already.
            let path = request.uri.path
            let allowed = methods(path)
            let shown = GatewayError.excerpt(path)
            guard !allowed.isEmpty else {
                return answer(.notFound, "no route for \(request.method.rawValue) \(shown)")
            }
            var response = answer(.methodNotAllowed, "\(shown) takes \(allowed.map(\.rawValue).joined(separator: ", ")), not \(request.method.rawValue)")
            response.headers[.allow] = allowed.map(\.rawValue).joined(separator: ", ")
            return response
        }
    }
}
