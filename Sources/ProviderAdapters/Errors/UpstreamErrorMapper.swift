import struct Foundation.Data

/// Maps a non-2xx response of any wire format to one ``UpstreamError``.
///
/// The HTTP status decides first, because it is what every provider gets right; the body
/// refines it where the status is ambiguous (a 400 that is really a context overflow, a 400
/// that is really a bad API key on Gemini, a 429 that is really an exhausted balance).
enum UpstreamErrorMapper {
    static func map(status: Int, headers: [(name: String, value: String)], body: Data) -> UpstreamError {
        map(status: status, headers: headers, error: ProviderErrorBody(body: body))
    }

    static func map(status: Int?, headers: [(name: String, value: String)], error: ProviderErrorBody)
        -> UpstreamError
    {
        var kind = status.map(kindFromStatus) ?? .serverError
        // The body names the kind where the status is generic: a plain 4xx, or no status at
        // all (an error event inside a 200 stream).
        if status == nil || kind == .badRequest, let named = kindFromBody(error) { kind = named }
        if let strong = strongSignal(error) { kind = strong }
        if kind == .badRequest || kind == .serverError, mentionsContextLength(error) { kind = .contextLengthExceeded }
        let retryAfter = RetryAfter.seconds(in: headers) ?? error.retryDelaySeconds
        let message = error.message.isEmpty ? "HTTP \(status.map(String.init) ?? "error") with no message" : error.message
        return UpstreamError(kind: kind, status: status, retryAfterSeconds: retryAfter, message: message)
    }

    static func kindFromStatus(_ status: Int) -> UpstreamError.Kind {
        switch status {
        case 401: .authentication
        case 402, 403: .permission  // 402: the account cannot pay here, which no retry fixes
        case 404: .notFound
        case 408, 504: .timeout
        case 429: .rateLimited
        case 503, 529: .overloaded
        case 400..<500: .badRequest
        case 500..<600: .serverError
        default: .malformedResponse  // a redirect or 1xx the transport should not have passed on
        }
    }

    /// The kind named by the body's error type or canonical status, if it names one.
    static func kindFromBody(_ error: ProviderErrorBody) -> UpstreamError.Kind? {
        for name in [error.type, error.status, error.code].compactMap({ $0?.lowercased() }) {
            switch name {
            case "invalid_request_error", "invalid_argument", "failed_precondition", "out_of_range": return .badRequest
            case "authentication_error", "unauthenticated", "invalid_api_key": return .authentication
            case "permission_error", "permission_denied", "billing_error": return .permission
            case "not_found_error", "not_found", "model_not_found": return .notFound
            case "rate_limit_error", "rate_limit_exceeded", "resource_exhausted": return .rateLimited
            case "overloaded_error", "unavailable": return .overloaded
            case "api_error", "server_error", "internal", "internal_error", "unknown", "data_loss": return .serverError
            case "timeout_error", "deadline_exceeded": return .timeout
            case "request_too_large": return .badRequest
            default: continue
            }
        }
        return nil
    }

    /// Body facts that override any status: they say exactly what happened.
    private static func strongSignal(_ error: ProviderErrorBody) -> UpstreamError.Kind? {
        if error.code == "context_length_exceeded" { return .contextLengthExceeded }
        // OpenAI answers 429 when the balance is spent; waiting does not refill it.
        if error.code == "insufficient_quota" { return .permission }
        // Gemini answers 400 INVALID_ARGUMENT for a wrong key.
        if error.reasons.contains("API_KEY_INVALID") { return .authentication }
        if error.type == "overloaded_error" { return .overloaded }
        return nil
    }

    /// Phrases the providers use for a prompt that does not fit the model's context.
    private static let contextLengthPhrases = [
        "context_length_exceeded", "maximum context length", "context length", "context window",
        "prompt is too long", "exceed context limit", "exceeds the context", "exceeds the maximum number of tokens",
        "input is too long", "too many input tokens", "reduce the length of the messages",
    ]

    static func mentionsContextLength(_ error: ProviderErrorBody) -> Bool {
        let text = error.message.lowercased()
        return contextLengthPhrases.contains { text.contains($0) }
    }
}
