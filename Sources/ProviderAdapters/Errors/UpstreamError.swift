/// Every way an upstream call can fail, normalised across wire formats so failover and
/// circuit breaking decide on one type.
///
/// ```swift
/// let error = adapter.mapError(status: 429, headers: [("Retry-After", "7")], body: body)
/// // error.kind == .rateLimited, error.retryAfterSeconds == 7, error.isRetryable
/// ```
public struct UpstreamError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong, in the terms routing acts on.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case authentication
        case permission
        case notFound
        case badRequest
        case contextLengthExceeded
        case rateLimited
        case overloaded
        case serverError
        case timeout
        case connectionFailure
        case malformedResponse
        /// The gateway itself could not open a connection (out of file descriptors or
        /// memory): retryable, but says nothing about the provider's health.
        case localResources
    }

    public var kind: Kind
    /// The HTTP status, when there was a response.
    public var status: Int?
    /// How long the provider asked us to wait (`Retry-After`, Gemini `RetryInfo.retryDelay`).
    public var retryAfterSeconds: Int?
    /// The provider's own words, shortened and with anything that looks like an API key removed.
    public var message: String

    public init(kind: Kind, status: Int? = nil, retryAfterSeconds: Int? = nil, message: String) {
        self.kind = kind
        self.status = status
        self.retryAfterSeconds = retryAfterSeconds
        self.message = SecretRedactor.redact(message)
    }

    /// Whether the same request may succeed later or elsewhere without changing it: the
    /// connection failed, it timed out, the provider was overloaded or rate limited, it
    /// answered 5xx, or its answer was unreadable or cut short — a garbled answer from one
    /// provider says nothing against another, and nothing of it has reached the client.
    public var isRetryable: Bool {
        switch kind {
        case .connectionFailure, .timeout, .overloaded, .rateLimited, .serverError, .malformedResponse, .localResources: true
        case .authentication, .permission, .notFound, .badRequest, .contextLengthExceeded: false
        }
    }

    /// This error with every occurrence of `secret` (the key actually sent) replaced, for the
    /// transport to apply when a provider echoes a key in a shape the heuristics miss.
    public func redacting(_ secret: String?) -> UpstreamError {
        guard let secret, !secret.isEmpty else { return self }
        var copy = self
        copy.message = message.replacing(secret, with: "[redacted]")
        return copy
    }

    public var description: String {
        var text = "\(kind.rawValue)"
        if let status { text += " (HTTP \(status))" }
        if let retryAfterSeconds { text += ", retry after \(retryAfterSeconds)s" }
        return message.isEmpty ? text : "\(text): \(message)"
    }

    static func badRequest(_ message: String) -> UpstreamError { UpstreamError(kind: .badRequest, message: message) }

    static func malformed(_ message: String, status: Int? = nil) -> UpstreamError {
        UpstreamError(kind: .malformedResponse, status: status, message: message)
    }
}
