/// Arguments for a mock tool call that fit the tool's JSON schema, so a gateway or client
/// that validates them accepts them.
///
/// ```swift
/// ToolArguments.sample(schema: ["type": "object", "properties": ["city": ["type": "string"]]])
/// // {"city":"mock"}
/// ```
enum ToolArguments {
    /// A value of the schema's type: every declared property (keys sorted), the first `enum`
    /// value, "mock" for a string, 1 for a number, `true`, one-element arrays. No schema
    /// gives `{}`.
    static func sample(schema: JSONValue?, depth: Int = 0) -> JSONValue {
        guard let schema, depth < 8 else { return depth == 0 ? [:] : .null }
        if let first = schema["enum"]?.arrayValue?.first { return first }
        if let constant = schema["const"] { return constant }
        if let option = (schema["anyOf"] ?? schema["oneOf"])?.arrayValue?.first {
            return sample(schema: option, depth: depth + 1)
        }
        let type: String? =
            switch schema["type"] {
            case .string(let name): name
            case .array(let names): names.compactMap(\.stringValue).first { $0 != "null" }
            default: schema["properties"] != nil ? "object" : nil
            }
        switch type {
        case "object", nil:
            guard case .object(let properties) = schema["properties"] else { return [:] }
            return .object(properties.sorted { $0.0 < $1.0 }.map { ($0.0, sample(schema: $0.1, depth: depth + 1)) })
        case "string": return "mock"
        case "integer", "number": return 1
        case "boolean": return true
        case "array": return .array([sample(schema: schema["items"], depth: depth + 1)])
        default: return .null
        }
    }

    /// The arguments text in pieces of at most 8 characters, as providers stream them.
    static func chunks(of arguments: String) -> [String] {
        var pieces: [String] = []
        var current = ""
        for character in arguments {
            current.append(character)
            if current.count == 8 {
                pieces.append(current)
                current = ""
            }
        }
        if !current.isEmpty || pieces.isEmpty { pieces.append(current) }
        return pieces
    }
}
