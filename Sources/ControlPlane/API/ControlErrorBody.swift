/// The control API's error body: `{"error": {"code", "message"}}`. `code` is stable
/// (`bad_request`, `not_found`, `conflict`, `forbidden`, `failed`), `message` is for people.
public struct ControlErrorBody: Codable, Sendable, Equatable {
    public struct Detail: Codable, Sendable, Equatable {
        public var code: String
        public var message: String
    }

    public var error: Detail

    public init(code: String, message: String) {
        error = Detail(code: code, message: message)
    }
}
