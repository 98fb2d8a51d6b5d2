import HTTPTypes
import Hummingbird
import Synchronization

/// Answers a request no route takes in the API's own error shape, instead of Hummingbird's
/// empty 404: a 405 naming the methods the path's routes take (`Allow`), else a 404.
struct UnknownRouteMiddleware<Context: RequestContext>: RouterMiddleware {
    let routes: KnownRoutes
    /// The error response for a status and message.
    let answer: @Sendable (_ status: HTTPResponse.Status, _ message: String) -> Response

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound && error.body == nil {
            // Only the router's own "no route" error: a handler's 404 has its message already.
            let path = request.uri.path
            let allowed = routes.methods(for: path).map(\.rawValue).joined(separator: ", ")
            let shown = GatewayError.excerpt(path)
            guard !allowed.isEmpty else {
                return answer(.notFound, "no route for \(request.method.rawValue) \(shown)")
            }
            var response = answer(.methodNotAllowed, "\(shown) takes \(allowed), not \(request.method.rawValue)")
            response.headers[.allow] = allowed
            return response
        }
    }
}

/// The routes a router serves, read from it once they are all added (``record(_:)``).
final class KnownRoutes: Sendable {
    private let routes = Mutex<[(path: RouterPath, method: HTTPRequest.Method)]>([])

    func record(_ router: Router<some RequestContext>) {
        let found = router.routes.map { (path: $0.path, method: $0.method) }
        routes.withLock { $0 = found }
    }

    /// The methods of the routes whose path matches `path`, in the order added; empty when none does.
    func methods(for path: String) -> [HTTPRequest.Method] {
        let segments = path.split(separator: "/")
        var methods: [HTTPRequest.Method] = []
        for route in routes.withLock({ $0 }) where Self.matches(route.path, segments) && !methods.contains(route.method) {
            methods.append(route.method)
        }
        return methods
    }

    /// Segment by segment, as the router's own trie matches (`{id}` and `*` take one, `**` the rest).
    static func matches(_ route: RouterPath, _ segments: [Substring]) -> Bool {
        var index = 0
        for element in route.components {
            if element.description == "**" { return index < segments.count }
            guard index < segments.count, element ~= segments[index] else { return false }
            index += 1
        }
        return index == segments.count
    }
}
