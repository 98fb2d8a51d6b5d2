/// Any JSON value, for the parts of a request the router only measures (tools, schemas);
/// built from the parsed body by `init(_: JSON)`.
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case number(String)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// Estimated tokens of this value's text: keys, strings and numbers.
    var estimatedTokens: Int {
        switch self {
        case .null, .bool: 1
        case .number(let text): TokenEstimator.tokens(in: text)
        case .string(let text): TokenEstimator.tokens(in: text)
        case .array(let items): items.reduce(1) { $0 + $1.estimatedTokens }
        case .object(let fields): fields.reduce(1) { $0 + TokenEstimator.tokens(in: $1.key) + $1.value.estimatedTokens }
        }
    }
}
