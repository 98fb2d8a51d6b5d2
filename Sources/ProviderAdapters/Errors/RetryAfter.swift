import ExactJSON
/// How long a provider asked us to wait, in whole seconds (rounded up, never negative).
///
/// Sources, in the order they are trusted: `retry-after-ms` (OpenAI), `Retry-After` as
/// delta-seconds or as an HTTP date — measured against the response's own `Date` header, since
/// the adapters read no clock and the date is relative to the server's — and Gemini's
/// `google.rpc.RetryInfo.retryDelay` (a protobuf Duration such as `"22s"`).
enum RetryAfter {
    /// Longer waits are capped: past a day the provider is as good as gone for routing.
    static let maxSeconds = 86_400

    static func seconds(in headers: [(name: String, value: String)]) -> Int? {
        if let milliseconds = headers.value(of: "retry-after-ms").flatMap(decimalSeconds) {
            return clamp(milliseconds / 1_000)
        }
        guard let value = headers.value(of: "retry-after") else { return nil }
        return seconds(headerValue: value, now: headers.value(of: "date").flatMap(HTTPDate.unixSeconds))
    }

    /// A `Retry-After` value: delta-seconds, or an HTTP date compared with `now` (Unix seconds).
    static func seconds(headerValue: String, now: Int?) -> Int? {
        let trimmed = headerValue.trimmingWhitespace()
        if !trimmed.isEmpty, trimmed.allSatisfy({ $0.isASCII && $0.isNumber }) {
            return Int(trimmed).map { min($0, maxSeconds) } ?? maxSeconds
        }
        guard let date = HTTPDate.unixSeconds(trimmed), let now else { return nil }
        return clamp(Double(date - now))
    }

    /// A protobuf Duration in JSON form: decimal seconds followed by `s` (`"1.5s"` → 2).
    static func seconds(duration: String) -> Int? {
        let trimmed = duration.trimmingWhitespace()
        guard trimmed.hasSuffix("s"), let value = decimalSeconds(String(trimmed.dropLast())) else { return nil }
        return clamp(value)
    }

    private static func decimalSeconds(_ text: String) -> Double? {
        let trimmed = text.trimmingWhitespace()
        guard !trimmed.isEmpty, trimmed.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }),
            let value = Double(trimmed), value.isFinite
        else { return nil }
        return value
    }

    private static func clamp(_ value: Double) -> Int? {
        guard value.isFinite else { return nil }
        if value <= 0 { return 0 }
        if value >= Double(maxSeconds) { return maxSeconds }
        return Int(value.rounded(.up))
    }
}

extension StringProtocol {
    func trimmingWhitespace() -> String {
        String(drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
    }
}
