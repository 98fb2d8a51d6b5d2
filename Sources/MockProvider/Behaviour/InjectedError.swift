/// A failure the mock can be told to answer with, in the called provider's own shape.
///
/// The cases are what a gateway must react to, not status codes: each format maps them to
/// its provider's status and error type (`overloaded` is 503 for OpenAI and Gemini but 529
/// `overloaded_error` for Anthropic).
public enum InjectedError: String, Sendable, CaseIterable {
    /// 500: the provider failed internally.
    case serverError = "server_error"
    /// 503 (Anthropic: 529): the provider is out of capacity for everyone.
    case overloaded
    /// 429 with `Retry-After`: this caller is over its rate limit.
    case rateLimited = "rate_limited"
    /// 200 whose body is cut off mid-JSON (for a stream: one event whose data is).
    case malformedJSON = "malformed_json"

    /// Reads the names above, or a status code as a number or text (500, 503, 529, 429).
    /// `none` reads as `nil`: no error.
    /// - Throws: `BehaviourError` for anything else.
    public static func parse(_ text: String) throws(BehaviourError) -> InjectedError? {
        switch text.lowercased() {
        case "none", "": nil
        case "500", "server_error": .serverError
        case "503", "529", "overloaded": .overloaded
        case "429", "rate_limited": .rateLimited
        case "malformed", "malformed_json": .malformedJSON
        default:
            throw BehaviourError(
                field: "error", message: "'\(text)' is not one of none, server_error (500), overloaded (503/529), rate_limited (429), malformed_json")
        }
    }
}

/// A behaviour field that cannot be used, named so the config file or the PUT body can be fixed.
public struct BehaviourError: Error, Sendable, Equatable, CustomStringConvertible {
    public var field: String
    public var message: String

    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }

    public var description: String { "\(field): \(message)" }
}
