import Foundation

/// Removes what looks like a credential from text that came from upstream before it is kept
/// in an error: providers echo keys back ("Incorrect API key provided: sk-…"), and error
/// messages end up in logs and in the decision record.
enum SecretRedactor {
    /// Prefixes of the keys the supported providers issue (OpenAI, Anthropic, Google, Groq,
    /// Fireworks, Together, generic bearer tokens).
    private static let prefixes = ["sk-", "AIza", "gsk_", "fw_", "xai-", "Bearer "]
    /// Longest message kept; provider errors past this are HTML pages or stack traces.
    static let maxLength = 600

    static func redact(_ text: String) -> String {
        var result = text
        if result.count > maxLength { result = String(result.prefix(maxLength)) + "…" }
        for prefix in prefixes where result.contains(prefix) {
            result = redact(prefix: prefix, in: result)
        }
        return result
    }

    /// Replaces `prefix` followed by a run of key characters (at least 8 of them) with a marker.
    private static func redact(prefix: String, in text: String) -> String {
        var output = ""
        var rest = Substring(text)
        while let range = rest.range(of: prefix) {
            output += rest[..<range.lowerBound]
            var end = range.upperBound
            var count = 0
            while end < rest.endIndex, isKeyCharacter(rest[end]) {
                end = rest.index(after: end)
                count += 1
            }
            if count >= 8 {
                output += "[redacted]"
            } else {
                output += rest[range.lowerBound..<end]
            }
            rest = rest[end...]
        }
        return output + rest
    }

    private static func isKeyCharacter(_ character: Character) -> Bool {
        character.isASCII && (character.isLetter || character.isNumber || character == "-" || character == "_"
            || character == "." || character == "*")
    }
}
