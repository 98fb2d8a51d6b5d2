import struct Foundation.Data
import ExactJSON

/// What a provider's error body says, read leniently from any of the shapes the supported
/// providers use:
///
/// - OpenAI and most compatible servers: `{"error": {"message", "type", "code", "param"}}`
/// - Anthropic: `{"type": "error", "error": {"type": "overloaded_error", "message"}}`
/// - Gemini: `{"error": {"code": 429, "message", "status": "RESOURCE_EXHAUSTED", "details": [...]}}`,
///   sometimes wrapped in an array by the streaming endpoint
/// - Ollama `{"error": "text"}`, vLLM `{"object": "error", "message", "type", "code"}`,
///   FastAPI `{"detail": ...}`, and plain text or HTML from proxies.
struct ProviderErrorBody: Sendable, Equatable {
    var message: String = ""
    /// OpenAI / Anthropic `type`, e.g. `invalid_request_error`, `overloaded_error`.
    var type: String?
    /// OpenAI `code`, e.g. `context_length_exceeded`, `insufficient_quota`.
    var code: String?
    /// Gemini canonical status, e.g. `RESOURCE_EXHAUSTED`.
    var status: String?
    /// Gemini `google.rpc.ErrorInfo.reason` values, e.g. `API_KEY_INVALID`.
    var reasons: [String] = []
    /// Gemini `google.rpc.RetryInfo.retryDelay`, in seconds.
    var retryDelaySeconds: Int?

    init(body: Data) {
        guard let value = try? JSONParser.parse(body) else {
            message = Self.plainText(body)
            return
        }
        read(value)
        if message.isEmpty, type == nil, code == nil, status == nil { message = Self.plainText(body) }
    }

    init(json: JSON) { read(json) }

    private mutating func read(_ value: JSON) {
        switch value {
        case .array(let items):
            if let first = items.first { read(first) }
        case .object(let object):
            if let error = object["error"] {
                if let text = error.stringValue {
                    message = text
                } else if let inner = error.objectValue {
                    readError(inner)
                }
            } else {
                readError(object)
                if message.isEmpty, let detail = object["detail"] {
                    message = detail.stringValue ?? JSONWriter.string(detail)
                }
            }
        default:
            break
        }
    }

    private mutating func readError(_ error: JSONObject) {
        message = error["message"]?.stringValue ?? ""
        type = error["type"]?.stringValue
        switch error["code"] {
        case .string(let text): code = text
        case .number(let text) where error["status"] == nil: code = text
        default: break
        }
        status = error["status"]?.stringValue
        for detail in error["details"]?.arrayValue ?? [] {
            if let reason = detail["reason"]?.stringValue { reasons.append(reason) }
            if let delay = detail["retryDelay"]?.stringValue { retryDelaySeconds = RetryAfter.seconds(duration: delay) }
        }
    }

    private static func plainText(_ body: Data) -> String {
        let text = String(decoding: body.prefix(400), as: UTF8.self)
        return text.split(whereSeparator: \.isNewline).map { $0.trimmingWhitespace() }.filter { !$0.isEmpty }
            .joined(separator: " ")
    }
}
