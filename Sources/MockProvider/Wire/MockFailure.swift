/// Why a request gets an error instead of an answer.
public enum MockFailure: Sendable, Equatable {
    /// The behaviour said so (`malformedJSON` never gets here: it is an answer, cut short).
    case injected(InjectedError, retryAfterSeconds: Int)
    /// The body is not a request this format accepts.
    case invalidRequest(String)
    /// The configuration requires an API key the request does not carry.
    case unauthorized
    /// The body is larger than the mock accepts.
    case tooLarge(limit: Int)
}
