/// Any JSON value, for the parts of a request the router only measures (tools, schemas).
public enum JSONValue: Sendable, Hashable, Decodable {
    case null
    case bool(Bool)
    case number(String)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode(Int64.self) {
            self = .number(String(value))
        } else if let value = try? container.decode(Double.self) {
            self = .number(String(value))
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

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
